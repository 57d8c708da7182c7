/// A problem in a workflow definition, naming the step (when there is one) and the field.
///
/// The description reads `step "notify": params.to: invalid email address "bob@"`, or
/// `events[1]: unknown event "est/fullcmc"` for problems outside a step.
public struct DefinitionError: Error, CustomStringConvertible, Equatable, Sendable {
    public var stepID: String?
    public var field: String
    public var message: String

    public init(stepID: String? = nil, field: String, message: String) {
        self.stepID = stepID
        self.field = field
        self.message = message
    }

    public var description: String {
        if let stepID {
            return "step \"\(stepID)\": \(field): \(message)"
        }
        return "\(field): \(message)"
    }
}

/// All problems found in one definition, thrown by `WorkflowDefinitionDocument.decodeValidated`.
public struct DefinitionErrors: Error, CustomStringConvertible, Equatable, Sendable {
    public var errors: [DefinitionError]

    public init(_ errors: [DefinitionError]) {
        self.errors = errors
    }

    public var description: String {
        errors.map(\.description).joined(separator: "\n")
    }
}
