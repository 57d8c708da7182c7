import Foundation
import Store
import Testing
import Workflows

@Suite("Workflow engine transitions")
struct WorkflowEngineTests {
    @Test("no definitions passes")
    func noDefinitionsPasses() throws {
        let fixture = try EngineFixture()
        defer { fixture.finish() }

        let status = try fixture.submit()

        #expect(status.created)
        #expect(status.state == .passed)
        #expect(!status.finalized)
        #expect(try fixture.instances(status.requestID).isEmpty)
        #expect(try fixture.audit(status.requestID).map(\.event) == ["request.created", "request.state_changed"])
    }

    @Test("approval waits then approves")
    func approvalApproves() throws {
        let fixture = try EngineFixture()
        defer { fixture.finish() }
        try fixture.publish("manual", steps: [.approval("approve")])

        let pending = try fixture.submit()
        let retry = try fixture.submit()
        let approved = try fixture.engine.approve(requestID: pending.requestID, actor: "alice", comment: "known device")

        #expect(pending.state == .awaitingApproval)
        #expect(!pending.onlyAutomaticStepsPending)
        #expect(retry.requestID == pending.requestID)
        #expect(!retry.created)
        #expect(approved.state == .approved)
        #expect(!approved.finalized)
        let instance = try #require(try fixture.instances(pending.requestID).first)
        #expect(instance.state == "Approved")
        #expect(instance.finalized)
        let runs = try fixture.store.read { try $0.stepRuns(instanceID: instance.id) }
        #expect(runs.map(\.state) == ["Approved"])
        #expect(runs.first?.actor == "alice")
        #expect(runs.first?.comment == "known device")
        let decided = try #require(try fixture.audit(pending.requestID).first { $0.event == "request.decided" })
        #expect(decided.actor == "alice")
        #expect(decided.comment == "known device")
        #expect(decided.previousState == "AwaitingApproval")
        #expect(decided.newState == "Approved")
    }

    @Test("step run records its own result")
    func stepRunState() throws {
        let fixture = try EngineFixture()
        defer { fixture.finish() }
        try fixture.publish("checked", steps: [.check("policy"), .approval("approve")])

        let pending = try fixture.submit()
        let instance = try #require(try fixture.instances(pending.requestID).first)
        #expect(instance.state == "AwaitingApproval")
        // The Condition passed, so its run reads Passed while the instance goes on to wait.
        let runs = try fixture.store.read { try $0.stepRuns(instanceID: instance.id) }
        #expect(runs.map(\.stepID) == ["policy"])
        #expect(runs.map(\.state) == ["Passed"])
        let stepEvent = try #require(try fixture.audit(pending.requestID).first { $0.event == "step.ran" })
        #expect(stepEvent.newState == "Passed")
    }

    @Test("reject is sticky")
    func rejectIsSticky() throws {
        let fixture = try EngineFixture()
        defer { fixture.finish() }
        try fixture.publish("manual", steps: [.approval("approve")])
        let pending = try fixture.submit()

        let rejected = try fixture.engine.reject(requestID: pending.requestID, actor: "bob", comment: "unknown device")
        let retry = try fixture.submit()
        let newKey = try fixture.submit(fixture.identity(fingerprint: "beef"))

        #expect(rejected.state == .rejected)
        #expect(rejected.finalized)
        #expect(rejected.reason == "unknown device")
        #expect(retry == EnrollmentStatus(
            requestID: pending.requestID, state: .rejected, finalized: true, created: false,
            onlyAutomaticStepsPending: false, reason: "unknown device", issuedCertificateDER: nil))
        #expect(newKey.created)
        #expect(newKey.requestID != pending.requestID)
    }

    @Test("non-last approval passes on")
    func twoApprovalSteps() throws {
        let fixture = try EngineFixture()
        defer { fixture.finish() }
        try fixture.publish("two-step", steps: [.approval("team"), .check("policy"), .approval("security")])
        let pending = try fixture.submit()

        let afterFirst = try fixture.engine.approve(requestID: pending.requestID, actor: "alice", comment: nil)
        let instance = try #require(try fixture.instances(pending.requestID).first)
        let afterSecond = try fixture.engine.approve(requestID: pending.requestID, actor: "alice", comment: nil)

        #expect(afterFirst.state == .awaitingApproval)
        #expect(instance.currentStep == "security")
        #expect(afterSecond.state == .approved)
        let runs = try fixture.store.read { try $0.stepRuns(instanceID: instance.id) }
        #expect(runs.map(\.stepID) == ["team", "policy", "security"])
    }

    @Test("required approvals by distinct actors")
    func requiredApprovals() throws {
        let fixture = try EngineFixture()
        defer { fixture.finish() }
        try fixture.publish("four-eyes", steps: [.approval("approve", required: 2)])
        let pending = try fixture.submit()

        let first = try fixture.engine.approve(requestID: pending.requestID, actor: "alice", comment: nil)
        let instanceID = try #require(try fixture.instances(pending.requestID).first?.id)
        let duplicate = #expect(throws: WorkflowError.self) {
            try fixture.engine.approve(requestID: pending.requestID, actor: "alice", comment: nil)
        }
        let second = try fixture.engine.approve(requestID: pending.requestID, actor: "bob", comment: nil)

        #expect(first.state == .awaitingApproval)
        #expect(duplicate == .duplicateApproval(instanceID: instanceID, stepID: "approve", actor: "alice"))
        #expect(second.state == .approved)
        let runs = try fixture.store.read { try $0.stepRuns(instanceID: instanceID) }
        #expect(runs.map(\.actor) == ["alice", "bob"])
        #expect(runs.map(\.state) == ["AwaitingApproval", "Approved"])
    }

    /// Outcome, resulting instance state, resulting request state.
    static let outcomes: [(String, State, State)] = [
        ("pass", .passed, .approved), ("approve", .approved, .approved), ("reject", .rejected, .rejected),
        ("fail", .failed, .failed), ("abort", .aborted, .aborted),
    ]

    @Test("synchronous step outcomes", arguments: outcomes)
    func synchronousOutcomes(outcome: String, instanceState: State, requestState: State) throws {
        let fixture = try EngineFixture()
        defer { fixture.finish() }
        try fixture.publish("auto", steps: [.check("policy", outcome: outcome)])

        let status = try fixture.submit()

        #expect(status.state == requestState)
        #expect(status.finalized == !requestState.allowsIssuance)
        let instance = try #require(try fixture.instances(status.requestID).first)
        #expect(instance.state == instanceState.rawValue)
        #expect(instance.stepContexts.contains("\"ran_policy\":true"))
    }

    @Test("reason of failing step")
    func failingStepReason() throws {
        let fixture = try EngineFixture()
        defer { fixture.finish() }
        try fixture.publish("auto", steps: [.check("policy", outcome: "reject")])

        let status = try fixture.submit()

        #expect(status.reason == "policy rejected")
    }

    @Test("explicit transition target")
    func explicitTransition() throws {
        let fixture = try EngineFixture()
        defer { fixture.finish() }
        try fixture.publish("routed", steps: [
            .check("policy", outcome: "reject", transitions: ["reject": "manual"]),
            .check("skipped", outcome: "fail"),
            .approval("manual"),
        ])

        let status = try fixture.submit()

        #expect(status.state == .awaitingApproval)
        #expect(try fixture.instances(status.requestID).first?.currentStep == "manual")
    }

    @Test("transition loop fails")
    func transitionLoopFails() throws {
        let fixture = try EngineFixture()
        defer { fixture.finish() }
        try fixture.publish("loop", steps: [
            .check("a", transitions: ["pass": "b"]), .check("b", transitions: ["pass": "a"]),
        ])

        let status = try fixture.submit()

        #expect(status.state == .failed)
        #expect(status.reason == "more than 100 steps ran without waiting; check the transitions for a loop")
    }

    @Test("unknown step type fails")
    func unknownStepTypeFails() throws {
        let fixture = try EngineFixture()
        defer { fixture.finish() }
        try fixture.publish("odd", steps: [WorkflowStep(id: "x", type: "Carrier-Pigeon")])

        let status = try fixture.submit()

        #expect(status.state == .failed)
        #expect(status.reason == "no executor for step type \"Carrier-Pigeon\"")
    }

    @Test("reject cascades to siblings")
    func rejectCascades() throws {
        let fixture = try EngineFixture()
        defer { fixture.finish() }
        try fixture.publish("team", steps: [.approval("team")])
        try fixture.publish("security", steps: [.approval("security")])
        let pending = try fixture.submit()
        let instances = try fixture.instances(pending.requestID)

        try fixture.engine.reject(instanceID: instances[0].id, actor: "bob", comment: "no")
        let siblings = try fixture.instances(pending.requestID)

        #expect(try fixture.request(pending.requestID)?.aggregatedState == "Rejected")
        #expect(siblings.map(\.state) == ["Rejected", "Rejected"])
        #expect(siblings.map(\.finalized) == [true, true])
    }
}
