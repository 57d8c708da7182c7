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
        let configurationPath = parsed.value("config")
        let configuration = try configurationPath.map { try GatewayConfiguration.load(path: $0) } ?? GatewayConfiguration()
        try bootstrapLogging(parsed, configuration: configuration)

        let dataDirectory = try EstgateCommand.dataDirectory(parsed)
        let logger = Logger(label: "estgate")
        let gateway = try Gateway(
            configuration: configuration, dataDirectory: dataDirectory, listen: parsed.values("listen"), logger: logger,
            configurationSource: configurationPath ?? "")
        let addresses = try gateway.start()
        logger.info(
            "gateway started",
            metadata: ["listen": addresses.map(\.description).joined(separator: ","), "data.directory": dataDirectory])

        let executable = CommandLine.arguments.first.flatMap { $0.contains("/") ? $0 : nil } ?? "estgate"
        print(
            QuickStartText.render(
                dataDirectory: dataDirectory, address: addresses[0], createdPassword: gateway.createdDemoPassword,
                executable: executable))
        fflush(nil)

        try gateway.runUntilSignal()
        return 0
    }

    private static func bootstrapLogging(_ parsed: ParsedCommand, configuration: GatewayConfiguration) throws {
        let formatName = parsed.value("log-format") ?? configuration.logging?.format ?? LogFormat.logfmt.rawValue
        guard let format = LogFormat(rawValue: formatName) else {
            throw parsed.invalidValue(formatName, for: "log-format", expected: "logfmt or json")
        }
        let levelName = parsed.value("log-level") ?? configuration.logging?.level ?? "info"
        guard let level = Logger.Level(name: levelName) else {
            throw parsed.invalidValue(levelName, for: "log-level", expected: "trace, debug, info, notice, warning, error or critical")
        }
        LoggingSystem.bootstrap(LoggingSystem.Configuration(format: format, level: level))
    }
}
