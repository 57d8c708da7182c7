/// The result of a successful parse: which command was named and the values given to it.
///
/// The getters take names declared in the command tree; asking for an undeclared name is a
/// programming error and stops the program.
public struct ParsedCommand: Sendable, Equatable {
    /// Subcommand names below the root, for example `["requests", "approve"]`.
    public var path: [String]
    /// Full command path with the root's name first, used in messages.
    var fullPath: [String]
    var options: [String: OptionSpec]
    var flags: Set<String>
    /// Given values of value and repeatable options, in command-line order.
    var optionValues: [String: [String]]
    var argumentNames: Set<String>
    var argumentValues: [String: String]

    public func flag(_ name: String) -> Bool {
        let option = declaredOption(name)
        precondition(option.kind == .flag, "--\(name) is not declared as a flag")
        return flags.contains(name)
    }

    /// Returns the given value, else the declared default, else nil.
    public func value(_ name: String) -> String? {
        let option = declaredOption(name)
        precondition(option.kind == .value, "--\(name) is not declared as a single-value option")
        return optionValues[name]?.last ?? option.defaultValue
    }

    /// Returns every value given, in command-line order.
    public func values(_ name: String) -> [String] {
        let option = declaredOption(name)
        precondition(option.kind == .repeatable, "--\(name) is not declared as a repeatable option")
        return optionValues[name] ?? []
    }

    public func argument(_ name: String) -> String? {
        precondition(argumentNames.contains(name), "<\(name)> is not declared as an argument")
        return argumentValues[name]
    }

    /// Converts the option's value (or default) to an integer within `range`; nil when absent.
    public func integer(_ name: String, range: ClosedRange<Int>) throws(UsageError) -> Int? {
        guard let text = value(name) else {
            return nil
        }
        guard let number = Int(text), range.contains(number) else {
            throw invalidValue(
                text, for: name,
                expected: "an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    /// Converts the option's value (or default) to a finite number within `range`; nil when absent.
    public func double(_ name: String, range: ClosedRange<Double>) throws(UsageError) -> Double? {
        guard let text = value(name) else {
            return nil
        }
        guard let number = Double(text), number.isFinite, range.contains(number) else {
            throw invalidValue(
                text, for: name,
                expected: "a number from \(Self.format(range.lowerBound)) to \(Self.format(range.upperBound))")
        }
        return number
    }

    /// Makes a usage error for a value the caller found invalid, worded like the parser's own errors.
    public func invalidValue(_ text: String, for name: String, expected: String) -> UsageError {
        UsageError(
            code: .invalidValue,
            message: "invalid value \"\(text)\" for --\(name): expected \(expected)",
            commandPath: fullPath)
    }

    private func declaredOption(_ name: String) -> OptionSpec {
        guard let option = options[name] else {
            preconditionFailure("no option --\(name) is declared for \(fullPath.joined(separator: " "))")
        }
        return option
    }

    /// Prints whole numbers without a fraction (`1` not `1.0`) so messages read naturally.
    private static func format(_ number: Double) -> String {
        if number == number.rounded(), abs(number) < 1e15 {
            return String(Int(number))
        }
        return String(number)
    }
}
