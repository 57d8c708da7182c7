/// Runs one step type: validates its params when a definition is imported and executes it
/// when an instance reaches a step of that type.
///
/// Executors are stateless apart from their configuration and are shared across threads.
public protocol StepExecutor: Sendable {
    /// The `type` string of the steps this executor runs, such as `"Webhook"`.
    var stepType: String { get }

    /// Whether the step blocks on the network or the clock, so the engine must run it in the
    /// background worker and never on a request's thread.
    var runsInBackground: Bool { get }

    /// Returns every problem in `params`, each naming `stepID` and the field.
    func validate(params: JSONValue, stepID: String) -> [DefinitionError]

    /// Executes `step`. May block for as long as the step's own timeouts allow; the engine calls
    /// it only with params that passed `validate`.
    func execute(_ step: WorkflowStep, context: StepExecutionContext) -> StepOutcome
}
