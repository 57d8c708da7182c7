/// One positional argument of a command.
public struct ArgumentSpec: Sendable, Equatable {
    public var name: String
    public var help: String
    public var isRequired: Bool

    public static func required(_ name: String, help: String) -> ArgumentSpec {
        ArgumentSpec(name: name, help: help, isRequired: true)
    }

    public static func optional(_ name: String, help: String) -> ArgumentSpec {
        ArgumentSpec(name: name, help: help, isRequired: false)
    }

    /// The spelling used in usage lines and messages: `<name>`.
    public var placeholder: String { "<\(name)>" }
}
