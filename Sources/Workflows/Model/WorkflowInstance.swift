import Store

/// A stored workflow instance together with the definition it runs.
public struct WorkflowInstance: Sendable {
    public var record: WorkflowInstanceRecord
    public let definition: WorkflowDefinitionRecord
    public let document: WorkflowDefinitionDocument

    public init(record: WorkflowInstanceRecord, definition: WorkflowDefinitionRecord, document: WorkflowDefinitionDocument) {
        self.record = record
        self.definition = definition
        self.document = document
    }

    public var id: Int64 { record.id }

    /// The stored state; a string that is not a `State` reads as Failed so it never runs on.
    public var state: State {
        State(rawValue: record.state) ?? .failed
    }

    public var badge: StatusBadge {
        statusBadge(for: record.state)
    }

    /// The steps in definition order.
    public var steps: [WorkflowStep] {
        document.steps
    }

    /// The position of `current_step` in `steps`.
    /// - Throws: `WorkflowError.unknownStep` when the definition has no such step.
    public func currentStepIndex() throws -> Int {
        guard let stepID = record.currentStep, let index = steps.firstIndex(where: { $0.id == stepID }) else {
            throw WorkflowError.unknownStep(instanceID: id, stepID: record.currentStep ?? "(none)")
        }
        return index
    }

    public func currentStep() throws -> WorkflowStep {
        steps[try currentStepIndex()]
    }

    /// The id of the step after the current one in definition order, or nil at the end.
    public func nextStepID() throws -> String? {
        let next = try currentStepIndex() + 1
        return next < steps.count ? steps[next].id : nil
    }

    /// True when the current step is the last step of type Approval.
    public func isLastApprovalStep() throws -> Bool {
        let index = try currentStepIndex()
        return steps.lastIndex(where: { $0.type == ApprovalStep.stepType }) == index
    }
}
