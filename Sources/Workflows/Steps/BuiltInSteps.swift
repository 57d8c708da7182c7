/// The step executors estgate ships. `Approval` is not among them because the engine runs it
/// itself; `DefinitionValidator` knows its params.
public enum BuiltInSteps {
    public static func executors() -> [any StepExecutor] {
        [ConditionStep(), WebhookStep(), EmailStep(), TimeoutStep()]
    }
}
