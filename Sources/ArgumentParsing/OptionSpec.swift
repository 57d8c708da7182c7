/// One command-line option: the single declaration that both the parser and the help text read.
public struct OptionSpec: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Present or absent, takes no value (`--json`).
        case flag
        /// Takes one value; giving it twice is a usage error (`--data-dir DIR`).
        case value
        /// Takes one value per occurrence and may be given many times (`--listen HOST:PORT`).
        case repeatable
    }

    /// Long name without the leading dashes.
    public var name: String
    public var shortName: Character?
    public var kind: Kind
    /// Placeholder for the value in usage and help (`DIR`, `HOST:PORT`); empty for flags.
    public var valueName: String
    /// One line saying what the option sets, with its unit.
    public var help: String
    /// Value used when the option is absent; shown in help as `(default: …)`.
    public var defaultValue: String?

    public static func flag(_ name: String, short: Character? = nil, help: String) -> OptionSpec {
        OptionSpec(name: name, shortName: short, kind: .flag, valueName: "", help: help, defaultValue: nil)
    }

    public static func value(
        _ name: String, short: Character? = nil, valueName: String, default defaultValue: String? = nil, help: String
    ) -> OptionSpec {
        OptionSpec(name: name, shortName: short, kind: .value, valueName: valueName, help: help, defaultValue: defaultValue)
    }

    public static func repeatable(
        _ name: String, short: Character? = nil, valueName: String, help: String
    ) -> OptionSpec {
        OptionSpec(name: name, shortName: short, kind: .repeatable, valueName: valueName, help: help, defaultValue: nil)
    }

    /// The spelling used in messages and help: `--name`.
    public var longForm: String { "--\(name)" }

    var takesValue: Bool { kind != .flag }
}
