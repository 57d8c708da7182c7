import Foundation
import Workflows

/// A step executor for engine tests: the step's `outcome` param names what it returns, so a
/// definition spells out the path the engine should take. Registered under its own type names,
/// it replaces the real executors, which have their own tests.
struct TestStepExecutor: StepExecutor {
    let stepType: String
    let runsInBackground: Bool

    static let synchronous = TestStepExecutor(stepType: "TestCheck", runsInBackground: false)
    static let background = TestStepExecutor(stepType: "TestHook", runsInBackground: true)

    func validate(params: JSONValue, stepID: String) -> [DefinitionError] {
        []
    }

    func execute(_ step: WorkflowStep, context: StepExecutionContext) -> StepOutcome {
        let result: JSONValue = [
            "attempt": .number(Double(context.attempt)),
            "variables": ["ran_\(step.id)": true],
        ]
        switch step.params["outcome"]?.stringValue ?? "pass" {
        case "approve":
            return .approve(reason: nil, context: result)
        case "reject":
            return .reject(reason: "\(step.id) rejected", context: result)
        case "fail":
            return .fail(reason: "\(step.id) failed", context: result)
        case "abort":
            return .abort(reason: "\(step.id) aborted", context: result)
        case "retry-once":
            return context.attempt < 2 ? .retry(after: 0, reason: "try again", context: result) : .pass(context: result)
        case "wait":
            return .wait(context: result)
        default:
            return .pass(context: result)
        }
    }
}
