import Foundation
import Store
import Testing
import Workflows

@Suite("Workflow engine decisions")
struct EngineDecisionTests {
    @Test("approve finalized instance throws")
    func approveFinalizedInstance() throws {
        let fixture = try EngineFixture()
        defer { fixture.finish() }
        try fixture.publish("manual", steps: [.approval("approve")])
        let pending = try fixture.submit()
        let instanceID = try #require(try fixture.instances(pending.requestID).first?.id)
        try fixture.engine.approve(instanceID: instanceID, actor: "alice", comment: nil)

        let error = #expect(throws: WorkflowError.self) {
            try fixture.engine.reject(instanceID: instanceID, actor: "bob", comment: nil)
        }

        #expect(error == .instanceNotAwaitingApproval(instanceID: instanceID, state: "Approved", finalized: true))
        #expect(error?.description == "workflow instance \(instanceID) is Approved and finalized, not awaiting approval")
    }

    @Test("approve running instance throws")
    func approveRunningInstance() throws {
        let fixture = try EngineFixture()
        defer { fixture.finish() }
        try fixture.publish("hooked", steps: [.hook("notify"), .approval("approve")])
        let pending = try fixture.submit()
        let instanceID = try #require(try fixture.instances(pending.requestID).first?.id)

        let error = #expect(throws: WorkflowError.self) {
            try fixture.engine.approve(instanceID: instanceID, actor: "alice", comment: nil)
        }

        #expect(error == .instanceNotAwaitingApproval(instanceID: instanceID, state: "Running", finalized: false))
    }

    @Test("approve request without waiting")
    func approveRequestWithoutWaiting() throws {
        let fixture = try EngineFixture()
        defer { fixture.finish() }
        let passed = try fixture.submit()

        let error = #expect(throws: WorkflowError.self) {
            try fixture.engine.approve(requestID: passed.requestID, actor: "alice", comment: nil)
        }

        #expect(error == .requestNotAwaitingApproval(requestID: passed.requestID, state: "Passed"))
    }

    @Test("approve unknown request")
    func approveUnknownRequest() throws {
        let fixture = try EngineFixture()
        defer { fixture.finish() }

        let error = #expect(throws: WorkflowError.self) {
            try fixture.engine.approve(requestID: "00000000-0000-0000-0000-000000000000", actor: "alice", comment: nil)
        }

        #expect(error == .requestNotFound(id: "00000000-0000-0000-0000-000000000000"))
    }

    @Test("abort pending request")
    func abortPending() throws {
        let fixture = try EngineFixture()
        defer { fixture.finish() }
        try fixture.publish("manual", steps: [.approval("approve")])
        let pending = try fixture.submit()

        let aborted = try fixture.engine.abort(requestID: pending.requestID, actor: "carol", comment: "device stolen")

        #expect(aborted.state == .aborted)
        #expect(aborted.finalized)
        #expect(aborted.reason == "device stolen")
        #expect(try fixture.instances(pending.requestID).map(\.state) == ["Aborted"])
        let event = try #require(try fixture.audit(pending.requestID).first { $0.event == "request.aborted" })
        #expect(event.actor == "carol")
        #expect(event.previousState == "AwaitingApproval")
        #expect(event.newState == "Aborted")
    }

    @Test("abort finalized request unchanged")
    func abortFinalized() throws {
        let fixture = try EngineFixture()
        defer { fixture.finish() }
        try fixture.publish("manual", steps: [.approval("approve")])
        let pending = try fixture.submit()
        let rejected = try fixture.engine.reject(requestID: pending.requestID, actor: "bob", comment: "no")
        let auditBefore = try fixture.audit(pending.requestID)

        let afterAbort = try fixture.engine.abort(requestID: pending.requestID, actor: "carol", comment: nil)

        #expect(afterAbort == rejected)
        #expect(try fixture.audit(pending.requestID) == auditBefore)
    }

    @Test("certificate recorded once")
    func certificateRecordedOnce() throws {
        let fixture = try EngineFixture()
        defer { fixture.finish() }
        let approved = try fixture.submit()

        let first = try fixture.engine.recordIssuedCertificate(
            requestID: approved.requestID, certificate: fixture.certificate(serial: "01"))
        let second = try fixture.engine.recordIssuedCertificate(
            requestID: approved.requestID, certificate: fixture.certificate(serial: "02"))
        let retry = try fixture.submit()

        #expect(first.state == .finalized)
        #expect(first.finalized)
        #expect(first.issuedCertificateDER == Array("certificate 01".utf8))
        #expect(first.issuedInThisCall)
        #expect(first.firstCertificateForDevice)
        var unchanged = first
        unchanged.issuedInThisCall = false
        unchanged.firstCertificateForDevice = false
        #expect(second == unchanged)
        #expect(retry.requestID == approved.requestID)
        #expect(retry.issuedCertificateDER == Array("certificate 01".utf8))
        let stored = try fixture.store.read { try $0.listIssuedCertificates(IssuedCertificateFilter()) }
        #expect(stored.map(\.serialNumber) == ["01"])
        #expect(stored.first?.deviceID == fixture.device.id)
        #expect(try fixture.audit(approved.requestID).filter { $0.event == "certificate.issued" }.count == 1)
    }

    @Test("certificate for pending request")
    func certificateForPendingRequest() throws {
        let fixture = try EngineFixture()
        defer { fixture.finish() }
        try fixture.publish("manual", steps: [.approval("approve")])
        let pending = try fixture.submit()

        let error = #expect(throws: WorkflowError.self) {
            try fixture.engine.recordIssuedCertificate(requestID: pending.requestID, certificate: fixture.certificate(serial: "01"))
        }

        #expect(error == .requestNotApproved(requestID: pending.requestID, state: "AwaitingApproval"))
    }

    @Test("device event runs workflows")
    func deviceEvent() throws {
        let fixture = try EngineFixture()
        defer { fixture.finish() }
        try fixture.publish("onboard", steps: [.check("inventory")], operations: ["created"], protocolName: "device")
        try fixture.publish("offboard", steps: [.approval("approve")], operations: ["deleted"], protocolName: "device")

        let created = try fixture.engine.raiseDeviceEvent(
            deviceID: fixture.device.id, domainID: fixture.domain.id, caID: fixture.ca.id, action: .created,
            payload: ["source": "admin"])
        let deleted = try fixture.engine.raiseDeviceEvent(
            deviceID: fixture.device.id, domainID: fixture.domain.id, caID: fixture.ca.id, action: .deleted, payload: [:])
        let instance = try #require(try fixture.store.read { try $0.instances(parent: .deviceRequest(deleted.requestID)) }.first)
        try fixture.engine.approve(instanceID: instance.id, actor: "alice", comment: nil)

        #expect(created.state == .finalized)
        #expect(created.finalized)
        #expect(deleted.state == .awaitingApproval)
        #expect(!deleted.finalized)
        let afterApproval = try #require(try fixture.store.read { try $0.deviceRequest(id: deleted.requestID) })
        #expect(afterApproval.finalized)
        let events = try fixture.store.read { try $0.auditEvents(AuditEventFilter(deviceID: fixture.device.id)) }
        #expect(events.map(\.event).filter { $0.hasPrefix("device.") } == ["device.created", "device.deleted"])
    }

    @Test("device request decided as a whole")
    func deviceRequestDecision() throws {
        let fixture = try EngineFixture()
        defer { fixture.finish() }
        try fixture.publish("offboard", steps: [.approval("approve")], operations: ["deleted"], protocolName: "device")
        try fixture.publish("audit-offboard", steps: [.approval("confirm")], operations: ["deleted"], protocolName: "device")
        let deleted = try fixture.engine.raiseDeviceEvent(
            deviceID: fixture.device.id, domainID: fixture.domain.id, caID: fixture.ca.id, action: .deleted, payload: [:])

        let status = try fixture.engine.approve(deviceRequestID: deleted.requestID, actor: "alice", comment: "returned")
        let states = try fixture.store.read { try $0.instances(parent: .deviceRequest(deleted.requestID)).map(\.state) }
        let decided = try fixture.store.read { try $0.auditEvents(AuditEventFilter(requestID: deleted.requestID)) }
            .filter { $0.event == "request.decided" }

        #expect(states == ["Approved", "Approved"])
        #expect(status == DeviceRequestStatus(requestID: deleted.requestID, state: .running, finalized: true))
        #expect(decided.map(\.actor) == ["alice", "alice"])
        #expect(throws: WorkflowError.requestNotAwaitingApproval(requestID: deleted.requestID, state: "Running")) {
            try fixture.engine.reject(deviceRequestID: deleted.requestID, actor: "bob", comment: nil)
        }
        #expect(throws: WorkflowError.requestNotFound(id: "missing")) {
            try fixture.engine.approve(deviceRequestID: "missing", actor: "alice", comment: nil)
        }
    }
}
