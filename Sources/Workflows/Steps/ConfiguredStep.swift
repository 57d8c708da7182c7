/// An executor whose params parse into a typed configuration, so validation and execution read
/// them the same way.
protocol ConfiguredStep: StepExecutor {
    associatedtype Configuration

    /// Parses `params`, or returns every problem, each naming `stepID` and the field.
    static func configuration(params: JSONValue, stepID: String) -> Result<Configuration, DefinitionErrors>

    func execute(_ step: WorkflowStep, configuration: Configuration, context: StepExecutionContext) -> StepOutcome
}

extension ConfiguredStep {
    func validateConfiguration(params: JSONValue, stepID: String) -> [DefinitionError] {
        switch Self.configuration(params: params, stepID: stepID) {
        case .success: []
        case .failure(let errors): errors.errors
        }
    }

    /// Fails the step when its params are invalid, which happens only for a definition stored
    /// without validation.
    func executeConfigured(_ step: WorkflowStep, context: StepExecutionContext) -> StepOutcome {
        switch Self.configuration(params: step.params, stepID: step.id) {
        case .success(let configuration): execute(step, configuration: configuration, context: context)
        case .failure(let errors): .fail(reason: errors.description, context: .object([:]))
        }
    }
}
