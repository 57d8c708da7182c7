/// Checks a whole definition before it is stored: events, step ids, types, transitions and
/// every step's params (through the executor for its type).
public enum DefinitionValidator {
    /// Returns every problem found, in document order. An empty result means the definition is valid.
    public static func validate(
        _ document: WorkflowDefinitionDocument, executors: [any StepExecutor]
    ) -> [DefinitionError] {
        var errors = validateEvents(document.events)

        guard !document.steps.isEmpty else {
            errors.append(DefinitionError(field: "steps", message: "must contain at least one step"))
            return errors
        }

        let executorsByType = Dictionary(executors.map { ($0.stepType, $0) }) { first, _ in first }
        let knownTypes = ([ApprovalStep.stepType] + executors.map(\.stepType)).sorted()
        let stepIDs = Set(document.steps.map(\.id))
        var seenIDs: Set<String> = []

        for (index, step) in document.steps.enumerated() {
            guard !step.id.isEmpty else {
                errors.append(DefinitionError(field: "steps[\(index)].id", message: "must not be empty"))
                continue
            }
            if step.id == WorkflowStep.end {
                errors.append(DefinitionError(
                    stepID: step.id, field: "id", message: "\"\(WorkflowStep.end)\" is reserved for the end of the workflow"))
            }
            if !seenIDs.insert(step.id).inserted {
                errors.append(DefinitionError(stepID: step.id, field: "id", message: "duplicate step id"))
            }

            if step.type == ApprovalStep.stepType {
                errors += ApprovalStep.validate(params: step.params, stepID: step.id)
            } else if let executor = executorsByType[step.type] {
                errors += executor.validate(params: step.params, stepID: step.id)
            } else {
                errors.append(DefinitionError(
                    stepID: step.id, field: "type",
                    message: "unknown step type \"\(step.type)\" (expected \(knownTypes.joined(separator: ", ")))"))
            }

            errors += validateTransitions(of: step, stepIDs: stepIDs)
        }
        return errors
    }

    private static func validateEvents(_ events: [WorkflowEvent]) -> [DefinitionError] {
        guard !events.isEmpty else {
            return [DefinitionError(field: "events", message: "must list at least one event")]
        }

        var errors: [DefinitionError] = []
        for (index, event) in events.enumerated() where !WorkflowEvent.known.contains(event) {
            errors.append(DefinitionError(
                field: "events[\(index)]", message: "unknown event \"\(event.protocol)/\(event.operation)\""))
        }
        return errors
    }

    private static func validateTransitions(of step: WorkflowStep, stepIDs: Set<String>) -> [DefinitionError] {
        guard let transitions = step.transitions else {
            return []
        }

        var errors: [DefinitionError] = []
        let outcomeNames = StepOutcomeName.allCases.map(\.rawValue)
        for (outcome, target) in transitions.sorted(by: { $0.key < $1.key }) {
            let field = "transitions.\(outcome)"
            if !outcomeNames.contains(outcome) {
                errors.append(DefinitionError(
                    stepID: step.id, field: field,
                    message: "unknown outcome \"\(outcome)\" (expected \(outcomeNames.joined(separator: ", ")))"))
            }
            if target == step.id {
                errors.append(DefinitionError(stepID: step.id, field: field, message: "a step cannot transition to itself"))
            } else if target != WorkflowStep.end && !stepIDs.contains(target) {
                errors.append(DefinitionError(stepID: step.id, field: field, message: "unknown step \"\(target)\""))
            }
        }
        return errors
    }
}
