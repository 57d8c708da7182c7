import Foundation

/// The JSON body of a workflow definition: the events that start it and its ordered steps.
///
/// `{"events": [{"protocol": "est", "operation": "simpleenroll"}], "steps": [...]}`
public struct WorkflowDefinitionDocument: Codable, Sendable, Equatable {
    public var events: [WorkflowEvent]
    public var steps: [WorkflowStep]

    public init(events: [WorkflowEvent], steps: [WorkflowStep]) {
        self.events = events
        self.steps = steps
    }

    /// Returns the step with `id`, or nil.
    public func step(id: String) -> WorkflowStep? {
        steps.first { $0.id == id }
    }

    /// Returns whether an event with this protocol and operation starts the workflow.
    public func handles(protocol eventProtocol: String, operation: String) -> Bool {
        events.contains { $0.protocol == eventProtocol && $0.operation == operation }
    }
}

/// A protocol and operation pair that starts a workflow, such as `est`/`simpleenroll`.
public struct WorkflowEvent: Codable, Sendable, Hashable {
    public var `protocol`: String
    public var operation: String

    public init(protocol eventProtocol: String, operation: String) {
        self.protocol = eventProtocol
        self.operation = operation
    }

    /// The events a definition may name.
    public static let known: [WorkflowEvent] = [
        WorkflowEvent(protocol: "est", operation: "simpleenroll"),
        WorkflowEvent(protocol: "est", operation: "simplereenroll"),
        WorkflowEvent(protocol: "est", operation: "serverkeygen"),
        WorkflowEvent(protocol: "device", operation: "created"),
        WorkflowEvent(protocol: "device", operation: "onboarded"),
        WorkflowEvent(protocol: "device", operation: "deleted"),
    ]
}

/// One step of a definition.
///
/// `transitions` maps an outcome name (see `StepOutcomeName`) to the id of the next step or to
/// `WorkflowStep.end`. An outcome without an entry takes the default: `pass` goes to the next
/// step in order, `approve` on the last approval step ends approved, `reject` and `fail` end the
/// instance in that state.
public struct WorkflowStep: Codable, Sendable, Equatable {
    /// The transition target that ends the instance.
    public static let end = "end"

    public var id: String
    public var type: String
    public var params: JSONValue
    public var transitions: [String: String]?

    public init(id: String, type: String, params: JSONValue = .object([:]), transitions: [String: String]? = nil) {
        self.id = id
        self.type = type
        self.params = params
        self.transitions = transitions
    }

    enum CodingKeys: String, CodingKey {
        case id, type, params, transitions
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        type = try container.decode(String.self, forKey: .type)
        params = try container.decodeIfPresent(JSONValue.self, forKey: .params) ?? .object([:])
        transitions = try container.decodeIfPresent([String: String].self, forKey: .transitions)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(type, forKey: .type)
        try container.encode(params, forKey: .params)
        try container.encodeIfPresent(transitions, forKey: .transitions)
    }

    /// Returns the explicit target for `outcome`, or nil when the default applies.
    public func target(for outcome: StepOutcomeName) -> String? {
        transitions?[outcome.rawValue]
    }
}

/// The outcome names a transition may be keyed by.
public enum StepOutcomeName: String, Sendable, CaseIterable {
    case pass, approve, reject, fail
}
