/// Renders the help of the last command in a chain from its declaration.
struct HelpFormatter {
    /// Labels longer than this put their help text on the next line instead of widening the column.
    static let maximumLabelWidth = 26

    let chain: [CommandSpec]

    func render() -> String {
        let command = chain[chain.count - 1]
        var sections = [usageLine(command), command.abstract]
        if !command.discussion.isEmpty {
            sections.append(command.discussion)
        }

        let argumentRows = command.arguments.map { ($0.placeholder, $0.help) }
        let optionRows = visibleOptions().map { (Self.label($0), Self.help($0)) } + [("-h, --help", "Show this help.")]
        let subcommandRows = command.subcommands.map { ($0.name, $0.abstract) }
        let width = min(
            Self.maximumLabelWidth,
            (argumentRows + optionRows + subcommandRows).map(\.0.count).max() ?? 0)

        if !argumentRows.isEmpty {
            sections.append(Self.table("ARGUMENTS:", argumentRows, width: width))
        }
        sections.append(Self.table("OPTIONS:", optionRows, width: width))
        if !subcommandRows.isEmpty {
            sections.append(Self.table("SUBCOMMANDS:", subcommandRows, width: width))
        }
        return sections.joined(separator: "\n\n") + "\n"
    }

    private func usageLine(_ command: CommandSpec) -> String {
        var parts = ["USAGE:"] + chain.map(\.name)
        if !visibleOptions().isEmpty {
            parts.append("[<options>]")
        }
        if !command.subcommands.isEmpty {
            parts.append("<subcommand>")
        }
        for argument in command.arguments {
            parts.append(argument.isRequired ? argument.placeholder : "[\(argument.placeholder)]")
        }
        return parts.joined(separator: " ")
    }

    /// Lists the command's own options, then those inherited from its ancestors, nearest first.
    private func visibleOptions() -> [OptionSpec] {
        var seen: Set<String> = []
        var options: [OptionSpec] = []
        for command in chain.reversed() {
            for option in command.options where !seen.contains(option.name) {
                seen.insert(option.name)
                options.append(option)
            }
        }
        return options
    }

    private static func label(_ option: OptionSpec) -> String {
        var label = option.shortName.map { "-\($0), " } ?? ""
        label += option.longForm
        if option.takesValue {
            label += " \(option.valueName)"
        }
        return label
    }

    private static func help(_ option: OptionSpec) -> String {
        var help = option.help
        if option.kind == .repeatable {
            help += " (repeatable)"
        }
        if let defaultValue = option.defaultValue {
            help += " (default: \(defaultValue))"
        }
        return help
    }

    private static func table(_ title: String, _ rows: [(String, String)], width: Int) -> String {
        var lines = [title]
        let indent = String(repeating: " ", count: width + 4)
        for (label, help) in rows {
            if label.count > width {
                lines.append("  \(label)")
                lines.append(indent + help)
            } else {
                let padding = String(repeating: " ", count: width - label.count)
                lines.append("  " + label + padding + "  " + help)
            }
        }
        return lines.joined(separator: "\n")
    }
}
