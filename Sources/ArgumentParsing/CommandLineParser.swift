/// Walks a command line once, left to right, descending into subcommands as they are named.
struct CommandLineParser {
    private let arguments: [String]
    private var chain: [CommandSpec]
    private var flags: Set<String> = []
    private var optionValues: [String: [String]] = [:]
    private var positionals: [String] = []

    init(root: CommandSpec, arguments: [String]) {
        self.arguments = arguments
        self.chain = [root]
    }

    mutating func parse() throws(UsageError) -> ParseOutcome {
        var index = 0
        var optionsEnded = false
        while index < arguments.count {
            let token = arguments[index]
            index += 1

            if !optionsEnded && token == "--" {
                optionsEnded = true
                continue
            }
            if !optionsEnded && (token == "-h" || token == "--help") {
                return .help(HelpFormatter(chain: chain).render())
            }
            if !optionsEnded && Self.looksLikeOption(token) {
                try parseOption(token, index: &index)
                continue
            }
            try parsePositional(token)
        }

        return .command(try finish())
    }

    /// `-` alone and negative numbers such as `-5` are values, not options.
    private static func looksLikeOption(_ token: String) -> Bool {
        guard token.hasPrefix("-"), token.count > 1 else {
            return false
        }
        let second = token[token.index(after: token.startIndex)]
        return !second.isNumber && second != "."
    }

    private mutating func parseOption(_ token: String, index: inout Int) throws(UsageError) {
        let (spelling, inlineValue) = Self.split(token)
        guard let option = lookUpOption(spelling) else {
            throw unknownOption(spelling)
        }

        guard option.takesValue else {
            if let inlineValue {
                throw error(
                    .unexpectedValue, "option \(option.longForm) takes no value, but \"\(inlineValue)\" was given")
            }
            flags.insert(option.name)
            return
        }

        let value: String
        if let inlineValue {
            value = inlineValue
        } else if index < arguments.count, !arguments[index].hasPrefix("--") {
            // A following token that starts with `--` is another option (or the end of options),
            // never a value, so `--data-dir --json` reports the missing directory.
            value = arguments[index]
            index += 1
        } else {
            throw error(.missingValue, "missing value for \(option.longForm) (expected \(option.valueName))")
        }

        if option.kind == .value, optionValues[option.name] != nil {
            throw error(.duplicateOption, "option \(option.longForm) was given more than once")
        }
        optionValues[option.name, default: []].append(value)
    }

    /// Splits `--name=value` into its name and value; short options never carry an inline value.
    private static func split(_ token: String) -> (String, String?) {
        guard token.hasPrefix("--"), let equals = token.firstIndex(of: "=") else {
            return (token, nil)
        }
        return (String(token[..<equals]), String(token[token.index(after: equals)...]))
    }

    /// Finds an option of the current command or of an ancestor, deepest first.
    private func lookUpOption(_ spelling: String) -> OptionSpec? {
        for command in chain.reversed() {
            for option in command.options {
                if spelling == option.longForm {
                    return option
                }
                if let short = option.shortName, spelling == "-\(short)" {
                    return option
                }
            }
        }
        return nil
    }

    private mutating func parsePositional(_ token: String) throws(UsageError) {
        let current = chain[chain.count - 1]
        guard !current.subcommands.isEmpty else {
            positionals.append(token)
            return
        }

        guard let subcommand = current.subcommand(named: token) else {
            throw error(
                .unknownSubcommand,
                "unknown subcommand \"\(token)\" for \(pathText) (expected one of: \(subcommandList(current)))")
        }
        chain.append(subcommand)
    }

    private func finish() throws(UsageError) -> ParsedCommand {
        let command = chain[chain.count - 1]
        if !command.subcommands.isEmpty {
            throw error(
                .missingSubcommand, "missing subcommand for \(pathText) (expected one of: \(subcommandList(command)))")
        }

        if positionals.count > command.arguments.count {
            throw error(.unexpectedArgument, "unexpected argument \"\(positionals[command.arguments.count])\"")
        }
        for argument in command.arguments.dropFirst(positionals.count) where argument.isRequired {
            throw error(.missingArgument, "missing argument \(argument.placeholder)")
        }

        var visibleOptions: [String: OptionSpec] = [:]
        for ancestor in chain {
            for option in ancestor.options {
                visibleOptions[option.name] = option
            }
        }
        var argumentValues: [String: String] = [:]
        for (argument, value) in zip(command.arguments, positionals) {
            argumentValues[argument.name] = value
        }
        return ParsedCommand(
            path: chain.dropFirst().map(\.name),
            fullPath: chain.map(\.name),
            options: visibleOptions,
            flags: flags,
            optionValues: optionValues,
            argumentNames: Set(command.arguments.map(\.name)),
            argumentValues: argumentValues)
    }

    private func unknownOption(_ spelling: String) -> UsageError {
        let known = chain.flatMap { $0.options.map(\.longForm) } + ["--help"]
        guard let suggestion = EditDistance.closest(to: spelling, among: known) else {
            return error(.unknownOption, "unknown option \(spelling)")
        }
        return error(.unknownOption, "unknown option \(spelling) (did you mean \(suggestion)?)")
    }

    private var pathText: String { chain.map(\.name).joined(separator: " ") }

    private func subcommandList(_ command: CommandSpec) -> String {
        command.subcommands.map(\.name).joined(separator: ", ")
    }

    private func error(_ code: UsageError.Code, _ message: String) -> UsageError {
        UsageError(code: code, message: message, commandPath: chain.map(\.name))
    }
}
