import Admin
import EST
import ArgumentParsing
import Foundation

/// The `estgate` command tree and the one mapping from errors to exit statuses.
enum EstgateCommand {
    static let dataDirectoryOption = OptionSpec.value(
        "data-dir", valueName: "DIR", help: "Gateway data directory with the database and the demo PKI (default: ./estgate-data)")
    static let configOption = OptionSpec.value(
        "config", valueName: "FILE", help: "JSON configuration file; its dataDirectory is used unless --data-dir is given")

    static let root = CommandSpec(
        name: "estgate",
        abstract: "EST (RFC 7030) certificate-enrollment gateway with approval workflows.",
        options: [dataDirectoryOption, configOption],
        subcommands: [ServeCommand.spec, CACommand.spec] + AdminCommands.specs)

    static func run(arguments: [String]) -> Int32 {
        let parsed: ParsedCommand
        do {
            switch try root.parse(arguments) {
            case .help(let text):
                print(text)
                return 0
            case .command(let command):
                parsed = command
            }
        } catch {
            printError(error.message)
            printError(error.helpHint)
            return 2
        }

        do {
            switch parsed.path.first {
            case "serve":
                return try ServeCommand.run(parsed)
            case "ca":
                return try CACommand.run(parsed)
            case nil:
                print(root.helpText())
                return 0
            default:
                return try AdminCommands.run(parsed, dataDirectory: try dataDirectory(parsed))
            }
        } catch let error as UsageError {
            printError(error.message)
            return 2
        } catch {
            printError("error: \(error)")
            return 1
        }
    }

    /// `--data-dir`, else the configuration file's `dataDirectory`, else `./estgate-data`.
    static func dataDirectory(_ parsed: ParsedCommand) throws -> String {
        if let directory = parsed.value("data-dir") {
            return directory
        }
        if let path = parsed.value("config") {
            return try GatewayConfiguration.load(path: path).dataDirectory ?? GatewayConfiguration.defaultDataDirectory
        }
        return GatewayConfiguration.defaultDataDirectory
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
