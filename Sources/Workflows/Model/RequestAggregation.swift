/// The rules that fold the states of a request's workflow instances into the request's state.
public enum RequestAggregation {
    /// The state of an enrollment request, checked in this order: no instances gives Passed;
    /// any Rejected, Failed or Aborted (in that priority) gives that state; any AwaitingApproval
    /// or Running gives AwaitingApproval; otherwise (all Approved, Passed or Finalized) Approved.
    public static func enrollmentRequestState(_ instances: [State]) -> State {
        guard !instances.isEmpty else {
            return .passed
        }
        for decisive in [State.rejected, .failed, .aborted] where instances.contains(decisive) {
            return decisive
        }
        if instances.contains(where: { $0 == .awaitingApproval || $0 == .running }) {
            return .awaitingApproval
        }
        return .approved
    }

    /// The state of a device request, checked in this order: no instances gives Finalized;
    /// any Failed gives Failed; all Finalized, Aborted or Passed gives Finalized; any
    /// AwaitingApproval gives AwaitingApproval; otherwise Running.
    public static func deviceRequestState(_ instances: [State]) -> State {
        guard !instances.isEmpty else {
            return .finalized
        }
        if instances.contains(.failed) {
            return .failed
        }
        if instances.allSatisfy({ $0 == .finalized || $0 == .aborted || $0 == .passed }) {
            return .finalized
        }
        if instances.contains(.awaitingApproval) {
            return .awaitingApproval
        }
        return .running
    }
}
