/// A workflow operation that cannot proceed, naming the request, instance or step involved.
public enum WorkflowError: Error, Equatable, CustomStringConvertible {
    case requestNotFound(id: String)
    case instanceNotFound(id: Int64)
    /// The instance's `current_step` is not a step of its definition.
    case unknownStep(instanceID: Int64, stepID: String)
    /// An approval or rejection reached an instance that is not waiting for one.
    case instanceNotAwaitingApproval(instanceID: Int64, state: String, finalized: Bool)
    /// An approval or rejection of a request none of whose instances is waiting for one.
    case requestNotAwaitingApproval(requestID: String, state: String)
    case duplicateApproval(instanceID: Int64, stepID: String, actor: String)
    /// A certificate was offered for a request that is not Approved or Passed.
    case requestNotApproved(requestID: String, state: String)
    /// A stored definition no longer decodes; its instances fail instead of running.
    case invalidStoredDefinition(definitionID: Int64, message: String)

    public var description: String {
        switch self {
        case .requestNotFound(let id):
            return "request \(id) not found"
        case .instanceNotFound(let id):
            return "workflow instance \(id) not found"
        case .unknownStep(let instanceID, let stepID):
            return "workflow instance \(instanceID) is at step \"\(stepID)\", which its definition does not contain"
        case .instanceNotAwaitingApproval(let instanceID, let state, let finalized):
            return "workflow instance \(instanceID) is \(state)\(finalized ? " and finalized" : ""), not awaiting approval"
        case .requestNotAwaitingApproval(let requestID, let state):
            return "request \(requestID) is \(state); none of its workflow instances is awaiting approval"
        case .duplicateApproval(let instanceID, let stepID, let actor):
            return "\(actor) already approved step \"\(stepID)\" of workflow instance \(instanceID); "
                + "another approver must decide"
        case .requestNotApproved(let requestID, let state):
            return "request \(requestID) is \(state); a certificate can only be recorded for an Approved or Passed request"
        case .invalidStoredDefinition(let definitionID, let message):
            return "stored workflow definition \(definitionID) is invalid: \(message)"
        }
    }
}
