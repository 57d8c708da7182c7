import Foundation
import Store
import Testing
import Workflows

@Suite("Workflow engine background steps")
struct EngineBackgroundTests {
    @Test("background step left pending")
    func backgroundStepPending() throws {
        let fixture = try EngineFixture()
        defer { fixture.finish() }
        try fixture.publish("hooked", steps: [.hook("notify")])

        let status = try fixture.submit()

        #expect(status.state == .awaitingApproval)
        #expect(status.onlyAutomaticStepsPending)
        let instance = try #require(try fixture.instances(status.requestID).first)
        #expect(instance.state == "Running")
        #expect(instance.nextRunAt != nil)
        #expect(try fixture.store.read { try $0.stepRuns(instanceID: instance.id) }.isEmpty)
    }

    @Test("worker round runs step")
    func workerRoundRunsStep() throws {
        let fixture = try EngineFixture()
        defer { fixture.finish() }
        try fixture.publish("hooked", steps: [.hook("notify"), .check("policy")])
        let status = try fixture.submit()

        let ran = fixture.engine.runDueSteps()
        let nothingLeft = fixture.engine.runDueSteps()

        #expect(ran == 1)
        #expect(nothingLeft == 0)
        #expect(try fixture.engine.enrollmentStatus(requestID: status.requestID).state == .approved)
        let instance = try #require(try fixture.instances(status.requestID).first)
        let runs = try fixture.store.read { try $0.stepRuns(instanceID: instance.id) }
        #expect(runs.map(\.stepID) == ["notify", "policy"])
        #expect(instance.stepContexts.contains("\"$vars\":{\"ran_notify\":true,\"ran_policy\":true}"))
    }

    @Test("retry runs step again")
    func retryRunsAgain() throws {
        let fixture = try EngineFixture()
        defer { fixture.finish() }
        try fixture.publish("flaky", steps: [.hook("notify", outcome: "retry-once")])
        let status = try fixture.submit()

        fixture.engine.runDueSteps()
        let afterRetry = try fixture.engine.enrollmentStatus(requestID: status.requestID)
        fixture.engine.runDueSteps()

        #expect(afterRetry.state == .awaitingApproval)
        #expect(try fixture.engine.enrollmentStatus(requestID: status.requestID).state == .approved)
        let instance = try #require(try fixture.instances(status.requestID).first)
        let runs = try fixture.store.read { try $0.stepRuns(instanceID: instance.id) }
        #expect(runs.map(\.context) == ["{\"attempt\":1,\"variables\":{\"ran_notify\":true}}",
                                        "{\"attempt\":2,\"variables\":{\"ran_notify\":true}}"])
    }

    @Test("aborted instance not run")
    func abortedInstanceNotRun() throws {
        let fixture = try EngineFixture()
        defer { fixture.finish() }
        try fixture.publish("hooked", steps: [.hook("notify")])
        let status = try fixture.submit()
        _ = try fixture.engine.abort(requestID: status.requestID, actor: "carol", comment: nil)

        let ran = fixture.engine.runDueSteps()

        #expect(ran == 0)
        #expect(try fixture.engine.enrollmentStatus(requestID: status.requestID).state == .aborted)
    }

    @Test("worker resumes after restart")
    func workerResumesAfterRestart() throws {
        let fixture = try EngineFixture()
        defer { fixture.finish() }
        try fixture.publish("hooked", steps: [.hook("notify")])
        let background = try fixture.submit()
        let manualDefinition = try fixture.publish("manual", steps: [.approval("approve")], operations: ["simplereenroll"])
        var reenroll = fixture.identity(fingerprint: "cafe")
        reenroll.operation = "simplereenroll"
        let manual = try fixture.submit(reenroll)

        try fixture.reopen()
        let worker = WorkflowWorker(engine: fixture.engine, logger: EngineFixture.logger, pollInterval: 0.05)
        worker.start()
        let deadline = Date().addingTimeInterval(10)
        while try fixture.engine.enrollmentStatus(requestID: background.requestID).state != .approved, Date() < deadline {
            usleep(20_000)
        }
        let stopped = worker.stop()

        #expect(stopped)
        #expect(try fixture.engine.enrollmentStatus(requestID: background.requestID).state == .approved)
        let waiting = try #require(try fixture.instances(manual.requestID).first)
        #expect(waiting.definitionID == manualDefinition.id)
        #expect(waiting.state == "AwaitingApproval")
        #expect(try fixture.engine.approve(requestID: manual.requestID, actor: "alice", comment: nil).state == .approved)
    }
}
