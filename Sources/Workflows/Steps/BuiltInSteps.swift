/// The step executors estgate ships. `Approval` is not among them because the engine runs it
/// itself, and `DefinitionValidator` checks its params through `ApprovalStep`.
public enum BuiltInSteps {
    public static func executors() -> [any StepExecutor] {
        [ConditionStep(), WebhookStep(), EmailStep(), TimeoutStep()]
    }
}
