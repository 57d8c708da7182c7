import Foundation
import Workflows

/// A JSON value written by `--json`: object members keep the order they are declared in, so the
/// output is stable and reads in the same order as the table form.
enum JSONOutput: Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONOutput])
    case object([(String, JSONOutput)])

    static func == (lhs: JSONOutput, rhs: JSONOutput) -> Bool {
        lhs.rendered(indent: nil) == rhs.rendered(indent: nil)
    }

    static func string(_ value: String?) -> JSONOutput {
        value.map { .string($0) } ?? .null
    }

    static func integer(_ value: Int64?) -> JSONOutput {
        value.map { .integer($0) } ?? .null
    }

    static func integer(_ value: Int) -> JSONOutput {
        .integer(Int64(value))
    }

    static func time(_ value: Date?) -> JSONOutput {
        value.map { .string(TimeText.iso8601($0)) } ?? .null
    }

    /// Parses the JSON text stored in a column, such as a workflow definition or an event's
    /// details. Text that does not parse becomes a string, so the output still shows it.
    init(storedJSON text: String) {
        if let value = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) {
            self.init(value)
        } else {
            self = .string(text)
        }
    }

    /// A parsed JSON document, such as a workflow definition; object keys are sorted.
    init(_ value: JSONValue) {
        switch value {
        case .null:
            self = .null
        case .bool(let flag):
            self = .bool(flag)
        case .number(let number):
            if let integer = value.intValue {
                self = .integer(Int64(integer))
            } else {
                self = .number(number)
            }
        case .string(let text):
            self = .string(text)
        case .array(let elements):
            self = .array(elements.map(JSONOutput.init))
        case .object(let members):
            self = .object(members.sorted { $0.key < $1.key }.map { ($0.key, JSONOutput($0.value)) })
        }
    }

    /// Indented with two spaces, for `list` and `show`.
    var pretty: String {
        rendered(indent: "")
    }

    /// On one line, for streams of events (JSON Lines).
    var compact: String {
        rendered(indent: nil)
    }

    private func rendered(indent: String?) -> String {
        switch self {
        case .null:
            return "null"
        case .bool(let value):
            return value ? "true" : "false"
        case .integer(let value):
            return String(value)
        case .number(let value):
            return value.isFinite ? String(value) : "null"
        case .string(let value):
            return JSONValue.quoted(value)
        case .array(let elements):
            return Self.container("[", "]", elements.map { (nil, $0) }, indent: indent)
        case .object(let members):
            return Self.container("{", "}", members.map { ($0.0, $0.1) }, indent: indent)
        }
    }

    private static func container(
        _ open: String, _ close: String, _ members: [(String?, JSONOutput)], indent: String?
    ) -> String {
        guard !members.isEmpty else {
            return open + close
        }
        guard let indent else {
            let items = members.map { key, value in
                (key.map { JSONValue.quoted($0) + ":" } ?? "") + value.rendered(indent: nil)
            }
            return open + items.joined(separator: ",") + close
        }

        let inner = indent + "  "
        let items = members.map { key, value in
            inner + (key.map { JSONValue.quoted($0) + ": " } ?? "") + value.rendered(indent: inner)
        }
        return open + "\n" + items.joined(separator: ",\n") + "\n" + indent + close
    }
}
