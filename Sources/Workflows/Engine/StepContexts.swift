import Foundation

/// The `step_contexts` JSON object of an instance: one entry per step id with what the step
/// produced, plus engine buckets whose names start with `$` (step ids cannot be confused with
/// them because the engine reads only these keys).
struct StepContexts {
    static let variablesKey = "$vars"
    static let attemptsKey = "$attempts"
    static let approvalsKey = "$approvals"
    static let reasonKey = "$reason"

    private(set) var members: [String: JSONValue]

    init(text: String) throws {
        members = try JSONValue.parse(text).objectValue ?? [:]
    }

    var text: String {
        JSONValue.object(members).jsonText
    }

    var variables: JSONValue {
        members[Self.variablesKey] ?? .object([:])
    }

    var reason: String? {
        members[Self.reasonKey]?.stringValue
    }

    /// Stores `context` for `stepID` and merges its `variables` object, if any, into `$vars`.
    mutating func record(_ context: JSONValue, for stepID: String) {
        members[stepID] = context
        if let variables = context["variables"]?.objectValue {
            members[Self.variablesKey] = self.variables.merging(variables)
        }
    }

    mutating func setReason(_ reason: String?) {
        members[Self.reasonKey] = reason.map { .string($0) } ?? .null
    }

    /// Returns the attempt number of `stepID`'s next execution, starting at 1.
    func attempt(of stepID: String) -> Int {
        members[Self.attemptsKey]?[stepID]?.intValue ?? 1
    }

    mutating func setAttempt(_ attempt: Int, of stepID: String) {
        let attempts = (members[Self.attemptsKey] ?? .object([:])).merging([stepID: .number(Double(attempt))])
        members[Self.attemptsKey] = attempts
    }

    /// Actors who approved `stepID` so far, in order.
    func approvers(of stepID: String) -> [String] {
        members[Self.approvalsKey]?[stepID]?.arrayValue?.compactMap { $0["actor"]?.stringValue } ?? []
    }

    mutating func addApproval(of stepID: String, actor: String, comment: String?, at time: Date) {
        var approvals = members[Self.approvalsKey]?[stepID]?.arrayValue ?? []
        approvals.append([
            "actor": .string(actor),
            "comment": comment.map { .string($0) } ?? .null,
            "time": .string(ISO8601DateFormatter().string(from: time)),
        ])
        members[Self.approvalsKey] = (members[Self.approvalsKey] ?? .object([:])).merging([stepID: .array(approvals)])
    }
}

extension JSONValue {
    /// Parses JSON text; empty text reads as an empty object.
    static func parse(_ text: String) throws -> JSONValue {
        guard !text.isEmpty else {
            return .object([:])
        }
        return try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }
}
