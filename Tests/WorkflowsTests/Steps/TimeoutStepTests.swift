import Foundation
import Testing
import Workflows

@Suite("Timeout step")
struct TimeoutStepTests {
    let created = Date(timeIntervalSince1970: 1_800_000_000)

    func run(_ params: JSONValue, secondsAfterCreation: TimeInterval) -> StepOutcome {
        let context = StepExecutionContext(
            instanceID: "instance-1", requestID: "request-1", payload: [:],
            instanceCreatedAt: created, now: created.addingTimeInterval(secondsAfterCreation))
        return TimeoutStep().execute(WorkflowStep(id: "expire", type: "Timeout", params: params), context: context)
    }

    @Test("timeout waits before expiry")
    func waitsBeforeExpiry() {
        let outcome = run(["after_seconds": 3_600], secondsAfterCreation: 3_599)

        #expect(outcome == .wait(context: [
            "after_seconds": 3_600, "deadline": "2027-01-15T09:00:00Z", "expired": false,
        ]))
    }

    @Test("timeout rejects at expiry")
    func rejectsAtExpiry() {
        let outcome = run(["after_seconds": 3_600], secondsAfterCreation: 3_600)

        #expect(outcome == .reject(
            reason: "rejected by timeout: request still pending after 3600 s",
            context: ["after_seconds": 3_600, "deadline": "2027-01-15T09:00:00Z", "expired": true]))
    }

    @Test("timeout aborts when configured")
    func abortsWhenConfigured() {
        let outcome = run(["after_seconds": 60, "outcome": "abort"], secondsAfterCreation: 61)

        guard case .abort(let reason, _) = outcome else {
            Issue.record("expected abort, got \(outcome)")
            return
        }
        #expect(reason == "aborted by timeout: request still pending after 60 s")
        #expect(outcome.transitionName == nil)
    }

    @Test("timeout params validation")
    func paramsValidation() {
        #expect(TimeoutStep().validate(params: [:], stepID: "expire").map(\.description) == [
            #"step "expire": params.after_seconds: missing"#
        ])
        #expect(TimeoutStep().validate(params: ["after_seconds": 1.5], stepID: "expire").map(\.description) == [
            #"step "expire": params.after_seconds: expected an integer, found 1.5"#
        ])
        #expect(TimeoutStep().validate(params: ["after_seconds": 10, "outcome": "abort"], stepID: "expire").isEmpty)
    }
}
