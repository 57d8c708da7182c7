/// Workflow instance and request states; the raw values are the strings stored and shown.
public enum State: String, Sendable, Codable, CaseIterable {
    case running = "Running"
    case awaitingApproval = "AwaitingApproval"
    case approved = "Approved"
    case passed = "Passed"
    case finalized = "Finalized"
    case rejected = "Rejected"
    case failed = "Failed"
    case aborted = "Aborted"

    /// True for every state an instance cannot leave: all but Running and AwaitingApproval.
    public var isTerminal: Bool {
        switch self {
        case .running, .awaitingApproval: false
        case .approved, .passed, .finalized, .rejected, .failed, .aborted: true
        }
    }

    /// True when a certificate may be issued for a request in this state.
    public var allowsIssuance: Bool {
        self == .approved || self == .passed
    }

    public var badge: StatusBadge {
        statusBadge(for: rawValue)
    }
}
