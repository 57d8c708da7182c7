/// A command line that does not match its declaration. Callers exit with status 2.
public struct UsageError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        case unknownOption
        case missingValue
        case unexpectedValue
        case duplicateOption
        case invalidValue
        case unexpectedArgument
        case unknownSubcommand
        case missingSubcommand
        case missingArgument
    }

    public var code: Code
    /// One sentence naming the option, argument or subcommand and the bad value.
    public var message: String
    /// Full command path (program name first) whose help lists what is valid here.
    public var commandPath: [String]

    public init(code: Code, message: String, commandPath: [String]) {
        self.code = code
        self.message = message
        self.commandPath = commandPath
    }

    public var description: String { message }

    /// A line pointing at the help of the command where parsing stopped.
    public var helpHint: String {
        "Run '\(commandPath.joined(separator: " ")) --help' for usage."
    }
}
