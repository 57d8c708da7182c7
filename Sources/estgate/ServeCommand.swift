import ArgumentParsing
import EST
import Foundation
import HTTPServer
import Logging

/// `estgate serve`: runs the gateway until SIGTERM or SIGINT.
enum ServeCommand {
    static let spec = CommandSpec(
        name: "serve",
        abstract: "Run the EST gateway until SIGTERM or SIGINT.",
        discussion: """
            With no configuration, the first start creates the data directory with a demo root and \
            issuing CA, a TLS certificate for localhost, the SQLite database, a default domain with \
            one demo device and a manual-approval workflow, then prints the commands that enroll.
            """,
        options: [
            .repeatable("listen", valueName: "HOST:PORT", help: "Address to listen on; repeat for several (default: 127.0.0.1:8443)"),
            .value("log-format", valueName: "FORMAT", help: "Log line format: logfmt or json (default: logfmt)"),
            .value("log-level", valueName: "LEVEL", help: "Lowest level logged: trace, debug, info, notice, warning, error (default: info)"),
        ])

    static func run(_ parsed: ParsedCommand) throws -> Int32 {
        // Checked before anything is created, so a mistyped address leaves no demo gateway behind.
        for text in parsed.values("listen") {
            do {
                _ = try ListenAddress(parsing: text)
            } catch {
                throw parsed.invalidValue(
                    text, for: "listen", expected: "an IPv4 HOST:PORT or [IPv6]:PORT with a port from 0 to 65535 (\(error.message))")
            }
        }

        let configurationPath = parsed.value("config")
        let configuration = try configurationPath.map { try GatewayConfiguration.load(path: $0) } ?? GatewayConfiguration()
        try bootstrapLogging(parsed, configuration: configuration)

        let dataDirectory = try EstgateCommand.dataDirectory(parsed)
        let logger = Logger(label: "estgate")
        if !MallocTuning.returnLargeAllocationsToKernel() {
            logger.warning("setting the malloc mmap threshold failed; password checks may keep memory resident")
        }
        let gateway = try Gateway(
            configuration: configuration, dataDirectory: dataDirectory, listen: parsed.values("listen"), logger: logger,
            configurationSource: configurationPath ?? "")
        let addresses = try gateway.start()
        logger.info(
            "gateway started",
            metadata: [
                "listen": addresses.map(\.description).joined(separator: ","), "data.directory": dataDirectory,
                "tls.session_resumption": String(configuration.sessionResumption),
            ])

        let executable = CommandLine.arguments.first.flatMap { $0.contains("/") ? $0 : nil } ?? "estgate"
        print(
            QuickStartText.render(
                dataDirectory: dataDirectory, address: addresses[0], executable: executable))
        fflush(nil)

        try gateway.runUntilSignal()
        return 0
    }

    /// Sets the log format and level from the command line, else the configuration file; an
    /// invalid value names where it came from.
    private static func bootstrapLogging(_ parsed: ParsedCommand, configuration: GatewayConfiguration) throws {
        let levels = "trace, debug, info, notice, warning, error or critical"
        let format: LogFormat
        if let name = parsed.value("log-format") {
            guard let parsedFormat = LogFormat(rawValue: name) else {
                throw parsed.invalidValue(name, for: "log-format", expected: "logfmt or json")
            }
            format = parsedFormat
        } else {
            // The configuration file's format was checked when the file was loaded.
            format = configuration.logging?.format.flatMap(LogFormat.init(rawValue:)) ?? .logfmt
        }

        let level: Logger.Level
        if let name = parsed.value("log-level") {
            guard let parsedLevel = Logger.Level(name: name) else {
                throw parsed.invalidValue(name, for: "log-level", expected: levels)
            }
            level = parsedLevel
        } else if let name = configuration.logging?.level {
            guard let configuredLevel = Logger.Level(name: name) else {
                throw GatewayError.configuration(
                    "configuration file \(parsed.value("config") ?? ""): logging.level \"\(name)\" is invalid; use \(levels)")
            }
            level = configuredLevel
        } else {
            level = .info
        }
        LoggingSystem.bootstrap(LoggingSystem.Configuration(format: format, level: level))
    }
}
