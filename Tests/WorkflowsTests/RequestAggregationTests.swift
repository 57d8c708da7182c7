import Testing
import Workflows

@Suite("Request aggregation")
struct RequestAggregationTests {
    static let enrollmentCases: [([State], State)] = [
        ([], .passed),
        ([.rejected], .rejected),
        ([.approved, .rejected, .failed, .aborted], .rejected),
        ([.failed], .failed),
        ([.failed, .aborted, .awaitingApproval], .failed),
        ([.aborted], .aborted),
        ([.aborted, .running], .aborted),
        ([.awaitingApproval], .awaitingApproval),
        ([.running], .awaitingApproval),
        ([.approved, .running], .awaitingApproval),
        ([.passed, .awaitingApproval], .awaitingApproval),
        ([.approved], .approved),
        ([.passed], .approved),
        ([.approved, .passed], .approved),
    ]

    static let deviceCases: [([State], State)] = [
        ([], .finalized),
        ([.failed], .failed),
        ([.failed, .awaitingApproval, .passed], .failed),
        ([.finalized], .finalized),
        ([.aborted, .passed, .finalized], .finalized),
        ([.passed], .finalized),
        ([.awaitingApproval], .awaitingApproval),
        ([.awaitingApproval, .passed], .awaitingApproval),
        ([.running], .running),
        ([.running, .passed], .running),
        ([.approved], .running),
        ([.rejected], .running),
    ]

    @Test("enrollment request rules", arguments: enrollmentCases)
    func enrollmentRules(instances: [State], expected: State) {
        #expect(RequestAggregation.enrollmentRequestState(instances) == expected)
    }

    @Test("device request rules", arguments: deviceCases)
    func deviceRules(instances: [State], expected: State) {
        #expect(RequestAggregation.deviceRequestState(instances) == expected)
    }
}
