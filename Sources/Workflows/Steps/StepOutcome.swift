import Foundation

/// The result of executing a step once. Each case carries the context the engine stores for the
/// step (what was checked, sent or received).
public enum StepOutcome: Sendable, Equatable {
    /// The step is done; the instance moves on (transition `pass`).
    case pass(context: JSONValue)

    /// The step approves the request (transition `approve`).
    case approve(reason: String?, context: JSONValue)

    /// The step rejects the request (transition `reject`).
    case reject(reason: String, context: JSONValue)

    /// The step could not do its work and has no attempts left (transition `fail`).
    case fail(reason: String, context: JSONValue)

    /// The step ends the instance as Aborted, with no transition.
    case abort(reason: String, context: JSONValue)

    /// The step failed transiently; the engine runs it again after `after` seconds with
    /// `attempt` increased by one.
    case retry(after: TimeInterval, reason: String, context: JSONValue)

    /// The step is still pending; the engine checks it again later with a fresh `now`.
    case wait(context: JSONValue)

    public var context: JSONValue {
        switch self {
        case .pass(let context), .wait(let context): context
        case .approve(_, let context): context
        case .reject(_, let context), .fail(_, let context), .abort(_, let context): context
        case .retry(_, _, let context): context
        }
    }

    /// The transition name this outcome follows, or nil for `abort`, `retry` and `wait`, which
    /// do not move the instance to another step.
    public var transitionName: StepOutcomeName? {
        switch self {
        case .pass: .pass
        case .approve: .approve
        case .reject: .reject
        case .fail: .fail
        case .abort, .retry, .wait: nil
        }
    }
}
