/// A command, its options, positional arguments and subcommands.
///
/// Options declared on a command are also accepted after any of its subcommands, so a root
/// `--data-dir` can be given before or after `requests approve`.
public struct CommandSpec: Sendable, Equatable {
    public var name: String
    /// One line shown in the parent's subcommand list and under the usage line.
    public var abstract: String
    /// Longer text shown in this command's help after the abstract; may be empty.
    public var discussion: String
    public var options: [OptionSpec]
    public var arguments: [ArgumentSpec]
    public var subcommands: [CommandSpec]

    public init(
        name: String,
        abstract: String,
        discussion: String = "",
        options: [OptionSpec] = [],
        arguments: [ArgumentSpec] = [],
        subcommands: [CommandSpec] = []
    ) {
        self.name = name
        self.abstract = abstract
        self.discussion = discussion
        self.options = options
        self.arguments = arguments
        self.subcommands = subcommands
    }

    /// Parses `arguments` (without the program name) against this command tree.
    ///
    /// `-h` or `--help` before `--` stops parsing and returns the help of the deepest command
    /// named so far; the library never prints.
    public func parse(_ arguments: [String]) throws(UsageError) -> ParseOutcome {
        var parser = CommandLineParser(root: self, arguments: arguments)
        return try parser.parse()
    }

    /// Renders the help of the command reached by `commandPath` (names below this command).
    /// A path that names no subcommand stops at the last one it does name.
    public func helpText(commandPath: [String] = []) -> String {
        var chain = [self]
        for name in commandPath {
            guard let next = chain[chain.count - 1].subcommand(named: name) else {
                break
            }
            chain.append(next)
        }
        return HelpFormatter(chain: chain).render()
    }

    func subcommand(named name: String) -> CommandSpec? {
        subcommands.first { $0.name == name }
    }
}

/// The result of parsing a command line.
public enum ParseOutcome: Sendable, Equatable {
    case command(ParsedCommand)
    /// Help was requested; the text is ready to print to standard output, then exit 0.
    case help(String)
}
