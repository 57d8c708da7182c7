import Foundation

/// One declarative test in a `Condition` step: `{"field": "keyBits", "op": ">=", "value": 2048}`.
///
/// A rule never evaluates code. A missing or null field makes every operator false except
/// `exists` with value false.
public struct ConditionRule: Sendable, Equatable {
    public enum Operator: String, Sendable, CaseIterable {
        case equal = "=="
        case notEqual = "!="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
        case `in` = "in"
        case notIn = "not_in"
        case matches
        case allMatch = "all_match"
        case anyMatch = "any_match"
        case exists
    }

    public var field: String
    public var op: Operator
    public var value: JSONValue

    /// Fields read from the instance payload. `deviceAttributes.<name>` reads one device
    /// attribute and `vars.<name>` reads the instance's `$vars`.
    public static let payloadFields: Set<String> = [
        "requestID", "deviceID", "domainID", "caID", "fingerprint", "operation", "template",
        "subject", "commonName", "subjectAlternativeNames", "keyAlgorithm", "keyBits", "curve",
        "deviceName", "deviceSerialNumber", "deviceAttributes", "domainName", "caName",
    ]

    static let prefixedFields = ["deviceAttributes.", "vars."]

    static func isKnownField(_ field: String) -> Bool {
        if payloadFields.contains(field) {
            return true
        }
        return prefixedFields.contains { field.hasPrefix($0) && field.count > $0.count }
    }

    /// Returns the value the rule's field has in `context`, or nil when it is absent.
    func fieldValue(in context: StepExecutionContext) -> JSONValue? {
        let found: JSONValue?
        if field.hasPrefix("vars.") {
            found = context.variables.value(atPath: String(field.dropFirst("vars.".count)))
        } else {
            found = context.payload.value(atPath: field)
        }
        return found == .null ? nil : found
    }

    /// Evaluates the rule against `actual`. `regex` is the compiled `value` for the
    /// pattern operators and nil otherwise.
    func evaluate(_ actual: JSONValue?, regex: NSRegularExpression?) -> Bool {
        guard let actual else {
            return op == .exists && value == false
        }

        switch op {
        case .exists:
            return value != false
        case .equal:
            return actual == value
        case .notEqual:
            return actual != value
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            return compare(actual)
        case .in:
            let items = elements(of: actual)
            return !items.isEmpty && items.allSatisfy { value.arrayValue?.contains($0) == true }
        case .notIn:
            return !elements(of: actual).contains { value.arrayValue?.contains($0) == true }
        case .matches:
            return actual.stringValue.map { Self.matches(regex, $0) } ?? false
        case .allMatch:
            let items = elements(of: actual)
            return !items.isEmpty && items.allSatisfy { $0.stringValue.map { Self.matches(regex, $0) } ?? false }
        case .anyMatch:
            return elements(of: actual).compactMap(\.stringValue).contains { Self.matches(regex, $0) }
        }
    }

    private func compare(_ actual: JSONValue) -> Bool {
        guard let left = actual.doubleValue, let right = value.doubleValue else {
            return false
        }
        switch op {
        case .less: return left < right
        case .lessOrEqual: return left <= right
        case .greater: return left > right
        default: return left >= right
        }
    }

    /// Treats a scalar as a one-element list, so list operators work on both.
    private func elements(of actual: JSONValue) -> [JSONValue] {
        actual.arrayValue ?? [actual]
    }

    private static func matches(_ regex: NSRegularExpression?, _ string: String) -> Bool {
        guard let regex else {
            return false
        }
        let range = NSRange(string.startIndex..., in: string)
        return regex.firstMatch(in: string, range: range) != nil
    }
}
