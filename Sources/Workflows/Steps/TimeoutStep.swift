import Foundation

/// The `Timeout` step: ends a request that stays pending for too long.
///
/// params: `{"after_seconds": N, "outcome": "reject"|"abort"}` (outcome defaults to reject).
/// The step waits while the instance is younger than N seconds, measured from the instance's
/// creation, then rejects or aborts it. It returns `.abort` rather than `.fail`, so the engine
/// can store Aborted instead of Failed.
public struct TimeoutStep: StepExecutor {
    public let stepType = "Timeout"
    public let runsInBackground = true

    /// Thirty days; a longer limit is more likely a unit mistake than a policy.
    static let maximumSeconds = 30 * 24 * 3_600

    public init() {}

    public func validate(params: JSONValue, stepID: String) -> [DefinitionError] {
        var reader = StepParamsReader(params: params, stepID: stepID, allowedKeys: ["after_seconds", "outcome"])
        _ = reader.integer("after_seconds", in: 1...Self.maximumSeconds, required: true)
        _ = reader.choice("outcome", allowed: ["reject", "abort"])
        return reader.errors
    }

    public func execute(_ step: WorkflowStep, context: StepExecutionContext) -> StepOutcome {
        guard let afterSeconds = step.params["after_seconds"]?.intValue else {
            return .fail(reason: "step \"\(step.id)\": params.after_seconds: missing", context: .object([:]))
        }

        let age = context.now.timeIntervalSince(context.instanceCreatedAt)
        let deadline = context.instanceCreatedAt.addingTimeInterval(TimeInterval(afterSeconds))
        let stepContext: JSONValue = [
            "after_seconds": .number(Double(afterSeconds)),
            "deadline": .string(deadline.formatted(.iso8601)),
            "expired": .bool(age >= TimeInterval(afterSeconds)),
        ]
        guard age >= TimeInterval(afterSeconds) else {
            return .wait(context: stepContext)
        }

        let reason = "request still pending after \(afterSeconds) s"
        if step.params["outcome"]?.stringValue == "abort" {
            return .abort(reason: "aborted by timeout: \(reason)", context: stepContext)
        }
        return .reject(reason: "rejected by timeout: \(reason)", context: stepContext)
    }
}
