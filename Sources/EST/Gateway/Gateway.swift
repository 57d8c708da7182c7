import Foundation
import HTTPServer
import Logging
import PKI
import Store
import Workflows

/// A running estgate: the store, the workflow engine and worker, and the EST service behind the
/// TLS server. `open` prepares everything; `start` binds the listeners.
public final class Gateway: Sendable {
    public static let databaseFileName = "estgate.sqlite"

    public let dataDirectory: String
    private let store: SQLiteStore
    private let worker: WorkflowWorker
    private let server: HTTPServer
    private let logger: Logger

    /// Opens the data directory (creating the demo gateway in it on first use), applies the
    /// configuration's CAs, profiles and domains, and prepares the server without binding it.
    public init(configuration: GatewayConfiguration, dataDirectory: String, listen: [String], logger: Logger, configurationSource: String = "") throws {
        self.dataDirectory = dataDirectory
        self.logger = logger

        // Checked before anything is written, so a mistyped address leaves no demo gateway behind.
        let addresses = try Gateway.listenAddresses(configuration, listen: listen)
        let databasePath = configuration.database ?? dataDirectory + "/" + Gateway.databaseFileName
        do {
            try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw GatewayError.dataDirectory("cannot create data directory \(dataDirectory): \(error.localizedDescription)")
        }

        let store = try SQLiteStore(path: databasePath, checkpointsInBackground: true)
        do {
            // The demo is created when the store has no CA yet, rather than when the file is new,
            // so a first start that failed half-way is completed by the next one. A configuration
            // that brings its own CAs gets no demo CA, device or workflow.
            let configuresCAs = !(configuration.cas ?? []).isEmpty
            if !configuresCAs, try store.read({ try $0.listCAs().isEmpty }) {
                try DemoSetup.create(dataDirectory: dataDirectory, store: store)
                logger.info("demo gateway created", metadata: ["data.directory": dataDirectory])
            }
            try ConfigurationApplier.apply(configuration, to: store, source: configurationSource)

            let engine = WorkflowEngine(store: store, logger: Logger(label: "estgate.workflows"))
            worker = WorkflowWorker(engine: engine, logger: Logger(label: "estgate.worker"))
            let directory = StoreDirectory(store: store, engine: engine)
            let service = ESTService(directory: directory, engine: engine, logger: Logger(label: "estgate.est"))
            server = try HTTPServer(
                configuration: try Gateway.serverConfiguration(configuration, dataDirectory: dataDirectory, addresses: addresses),
                handler: service, logger: Logger(label: "estgate.http"))
        } catch {
            Gateway.close(store, after: error, logger: logger)
            throw error
        }
        self.store = store
    }

    /// Closes the store of a start that failed; the start's own error is the one reported.
    private static func close(_ store: SQLiteStore, after error: any Error, logger: Logger) {
        do {
            try store.close()
        } catch let closeError {
            logger.error(
                "closing the store after a failed start failed",
                metadata: ["error": "\(closeError)", "start.error": "\(error)"])
        }
    }

    /// Parses the addresses to listen on: `listen` from the command line, else the configuration's.
    private static func listenAddresses(_ configuration: GatewayConfiguration, listen: [String]) throws -> [ListenAddress] {
        guard listen.isEmpty else {
            return try listen.map { try ListenAddress(parsing: $0) }
        }
        var addresses: [ListenAddress] = []
        for text in configuration.listen ?? [GatewayConfiguration.defaultListenAddress] {
            do throws(HTTPServerError) {
                addresses.append(try ListenAddress(parsing: text))
            } catch {
                throw GatewayError.configuration("invalid listen address \"\(text)\" in the configuration: \(error.message)")
            }
        }
        return addresses
    }

    private static func serverConfiguration(
        _ configuration: GatewayConfiguration, dataDirectory: String, addresses: [ListenAddress]
    ) throws -> HTTPServer.Configuration {
        let demoServer = (certificate: dataDirectory + "/pki/server.pem", key: dataDirectory + "/pki/server.key")
        let certificatePath = configuration.tls?.certificate ?? demoServer.certificate
        let privateKeyPath = configuration.tls?.privateKey ?? demoServer.key
        guard FileManager.default.fileExists(atPath: certificatePath), FileManager.default.fileExists(atPath: privateKeyPath)
        else {
            throw GatewayError.configuration(
                "the TLS server certificate \(certificatePath) or key \(privateKeyPath) does not exist; set tls.certificate and tls.privateKey in the configuration file")
        }
        var tls = TLSConfiguration(certificateChainPath: certificatePath, privateKeyPath: privateKeyPath)
        // The value was checked when the configuration was loaded.
        tls.clientCertificateMode =
            configuration.tls?.clientCertificates.flatMap { GatewayConfiguration.TLS.clientCertificateModes[$0] } ?? .request
        let demoChain = dataDirectory + "/" + DemoSetup.caChainFileName
        tls.trustAnchorsPath =
            configuration.tls?.trustAnchors ?? (FileManager.default.fileExists(atPath: demoChain) ? demoChain : nil)
        tls.sessionResumption = configuration.sessionResumption
        // ESTAuthenticator verifies each client chain against the domain's CA chain and device
        // anchors, so the handshake need not verify it against the TLS trust anchors first.
        tls.verifiesRequestedCertificates = false

        var serverConfiguration = HTTPServer.Configuration(listenAddresses: addresses, tls: tls)
        serverConfiguration.limits = Gateway.limits(configuration.limits)
        if let threads = configuration.handlerThreads {
            serverConfiguration.handlerThreadCount = threads
        }
        return serverConfiguration
    }

    /// Binds the listeners and starts the background worker; returns the bound addresses.
    /// When binding fails the store is closed and the gateway cannot be started again.
    public func start() throws -> [ListenAddress] {
        let addresses: [ListenAddress]
        do {
            addresses = try server.start()
        } catch {
            Gateway.close(store, after: error, logger: logger)
            throw error
        }
        worker.start()
        return addresses
    }

    /// Blocks until SIGTERM or SIGINT, drains in-flight requests, stops the worker and closes the store.
    public func runUntilSignal() throws {
        server.runUntilSignal()
        worker.stop()
        try store.close()
        logger.info("gateway stopped")
    }

    private static func limits(_ settings: GatewayConfiguration.Limits?) -> HTTPLimits {
        var limits = HTTPLimits()
        guard let settings else {
            return limits
        }
        if let value = settings.maximumBodyBytes { limits.maximumBodyBytes = value }
        if let value = settings.headerReadTimeoutSeconds { limits.headerReadTimeout = .seconds(value) }
        if let value = settings.idleTimeoutSeconds { limits.idleTimeout = .seconds(value) }
        if let value = settings.handshakeTimeoutSeconds { limits.handshakeTimeout = .seconds(value) }
        if let value = settings.maximumConnections { limits.maximumConnections = value }
        if let value = settings.shutdownGracePeriodSeconds { limits.shutdownGracePeriod = .seconds(value) }
        return limits
    }
}
