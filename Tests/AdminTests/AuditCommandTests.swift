@testable import Admin
import Foundation
import Logging
import Store
import Testing
import Workflows

@Suite("audit command")
struct AuditCommandTests {
    /// Publishes a manual approval, adds a device, enrolls, approves and records a certificate.
    private func fullCycle(_ fixture: AdminFixture) throws -> String {
        try fixture.publishApprovalWorkflow()
        _ = try fixture.run(["devices", "add", "sensor-1", "--domain", "factory"])
        fixture.clock.advance(seconds: 1)
        let device = try #require(try fixture.store.read { try $0.device(named: "sensor-1", domainID: fixture.factory.id) })
        let submitted = try fixture.submitEnrollment(device: device, domain: fixture.factory, commonName: "sensor-1")
        fixture.clock.advance(seconds: 60)
        _ = try fixture.run(["requests", "approve", submitted.requestID, "--by", "tester", "--comment", "looks right"])
        fixture.clock.advance(seconds: 1)
        _ = try fixture.engine.recordIssuedCertificate(
            requestID: submitted.requestID,
            certificate: IssuedCertificateRecord(
                serialNumber: "7f01", subject: "CN=sensor-1,O=Example", notBefore: fixture.clock.now(),
                notAfter: fixture.clock.now().addingTimeInterval(86400), der: [0x30, 0x00]))
        return submitted.requestID
    }

    @Test("order after create and approve")
    func orderAfterCycle() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }
        let requestID = try fullCycle(fixture)

        let lines = try fixture.run(["audit", "--request", String(requestID.prefix(8)), "--json"]).output
            .split(separator: "\n").map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }

        let events = lines.compactMap { $0["event"] as? String }
        #expect(events == [
            "request.created", "request.state_changed", "step.ran", "request.state_changed", "request.decided",
            "certificate.issued",
        ])
        let ids = lines.compactMap { $0["id"] as? Int }
        #expect(ids == ids.sorted())
        let times = lines.compactMap { $0["time"] as? String }
        #expect(times == times.sorted())
        let decided = try #require(lines.first { $0["event"] as? String == "request.decided" })
        #expect(decided["actor"] as? String == "tester")
        #expect(decided["comment"] as? String == "looks right")
        #expect(decided["device"] as? String == "sensor-1")
        #expect(decided["domain"] as? String == "factory")
        #expect(decided["previous_state"] as? String == "AwaitingApproval")
        #expect(decided["new_state"] as? String == "Approved")
        #expect(decided["time"] as? String == "2024-05-01T12:01:01Z")
        let stepRan = try #require(lines.first { $0["event"] as? String == "step.ran" })
        #expect(stepRan["domain"] as? String == "factory")
        #expect((decided["details"] as? [String: Any])?["step_id"] as? String == "approve")
    }

    @Test("text lines show who and what")
    func textLines() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }
        let requestID = try fullCycle(fixture)

        let output = try fixture.run(["audit", "--device", "sensor-1"]).output
        let lines = output.split(separator: "\n")

        #expect(lines.first?.hasPrefix("2024-05-01T12:00:00Z  device.created") == true)
        let prefix = String(requestID.prefix(8))
        #expect(lines.contains { $0 == "2024-05-01T12:01:01Z  request.decided               \(prefix)  sensor-1      AwaitingApproval -> Approved          step approve, by tester: \"looks right\"" })
        #expect(lines.last?.contains("certificate.issued") == true)
        #expect(lines.last?.contains("serial 7f01") == true)
    }

    @Test("rejection line names its reason once")
    func rejectionLine() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }
        try fixture.publishApprovalWorkflow()
        let submitted = try fixture.submitEnrollment(device: nil, domain: fixture.open, commonName: "cam-7")
        _ = try fixture.run(["requests", "reject", submitted.requestID, "--by", "bob", "--comment", "unknown site"])

        let lines = try fixture.run(["audit", "--request", submitted.requestID]).output.split(separator: "\n")
        let stepRan = try #require(lines.first { $0.contains("step.ran") })

        #expect(stepRan.hasSuffix("step approve, by bob: \"unknown site\""))
    }

    @Test("since and unknown request")
    func sinceAndUnknown() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }
        _ = try fullCycle(fixture)

        let late = try fixture.run(["audit", "--since", "2024-05-01T12:01:02Z", "--json"]).output.split(separator: "\n")

        #expect(late.count == 1)
        #expect(late.first?.contains("\"event\":\"certificate.issued\"") == true)
        #expect(throws: AdminError.notFound(entity: "request", key: "ffff")) {
            try fixture.run(["audit", "--request", "ffff"])
        }
    }

    /// Appends `count` events of the request `bulk` after whatever the trail already has.
    private func appendBulkEvents(_ fixture: AdminFixture, count: Int) throws {
        try fixture.store.transaction { session in
            for index in 0..<count {
                _ = try session.appendAuditEvent(AuditEventRecord(
                    time: TestClock.start.addingTimeInterval(Double(index)), event: "bulk.\(index)", requestID: "bulk"))
            }
        }
    }

    private func eventIDs(_ output: String) throws -> [Int] {
        try output.split(separator: "\n").map {
            try #require((JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["id"] as? Int)
        }
    }

    @Test("limit prints the newest events")
    func limitNewest() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }
        try appendBulkEvents(fixture, count: 250)

        let defaultIDs = try eventIDs(try fixture.run(["audit", "--json"]).output)
        let lastThree = try fixture.run(["audit", "--limit", "3"]).output.split(separator: "\n")

        #expect(defaultIDs == Array(151...250))
        #expect(lastThree.map { $0.split(separator: " ", omittingEmptySubsequences: true)[1] } == ["bulk.247", "bulk.248", "bulk.249"])
        #expect(try eventIDs(try fixture.run(["audit", "--since", "2024-05-01T12:04:08Z", "--json"]).output) == [249, 250])
        #expect(try fixture.run(["audit", "--since", "2030-01-01T00:00:00Z", "--json"]).output.isEmpty)
    }

    @Test("limit zero pages through everything")
    func limitZeroPages() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }
        try appendBulkEvents(fixture, count: 2 * AuditCommand.pageSize + 1)

        let ids = try eventIDs(try fixture.run(["audit", "--limit", "0", "--json"]).output)
        let exactPage = try eventIDs(try fixture.run(["audit", "--limit", String(AuditCommand.pageSize), "--json"]).output)

        #expect(ids == Array(1...(2 * AuditCommand.pageSize + 1)))
        #expect(exactPage == Array((AuditCommand.pageSize + 2)...(2 * AuditCommand.pageSize + 1)))
    }

    @Test("limit counts matching events only")
    func limitWithFilter() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }
        let device = try fixture.addDevice("sensor-1", domain: fixture.factory)
        try fixture.store.transaction { session in
            for index in 0..<30 {
                _ = try session.appendAuditEvent(AuditEventRecord(
                    time: TestClock.start.addingTimeInterval(Double(index)), event: "bulk.\(index)",
                    deviceID: index.isMultiple(of: 3) ? device.id : nil))
            }
        }

        let lines = try fixture.run(["audit", "--device", "sensor-1", "--limit", "3", "--json"]).output.split(separator: "\n")
        let names = try lines.map {
            try #require((JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["event"] as? String)
        }

        #expect(names == ["bulk.21", "bulk.24", "bulk.27"])
    }

    @Test("follow after a cut limit prints the rest")
    func followAfterLimit() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }
        try appendBulkEvents(fixture, count: 5)
        let store = fixture.store

        let appended = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 0.2)
            _ = try? store.transaction { session in
                try (5..<7).map { try session.appendAuditEvent(AuditEventRecord(time: TestClock.start, event: "late.\($0)")) }
            }
            appended.signal()
        }
        let output = AdminOutput.capturing()
        let deadline = Date().addingTimeInterval(10)
        let result = try fixture.run(["audit", "--limit", "2", "--follow", "--json"], output: output) {
            output.standardOutput.split(separator: "\n").count >= 4 || Date() > deadline
        }
        appended.wait()

        #expect(try eventIDs(result.output) == [4, 5, 6, 7])
    }

    @Test("follow prints a new decision")
    func followSeesDecision() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }
        try fixture.publishApprovalWorkflow()
        let submitted = try fixture.submitEnrollment(device: nil, domain: fixture.open, commonName: "cam-7")
        let before = try fixture.store.read { try $0.auditEvents(AuditEventFilter()) }.count
        let engine = fixture.engine
        let requestID = submitted.requestID

        let decided = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 0.2)
            _ = try? engine.approve(requestID: requestID, actor: "tester", comment: "while following")
            decided.signal()
        }
        let output = AdminOutput.capturing()
        let deadline = Date().addingTimeInterval(10)
        let result = try fixture.run(["audit", "--follow", "--json"], output: output) {
            output.standardOutput.contains("request.decided") || Date() > deadline
        }
        decided.wait()

        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.count > before)
        let ids = try lines.map { try #require((JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["id"] as? Int) }
        #expect(ids == Array(1...ids.count))
        let decision = try #require(lines.first { $0.contains("\"event\":\"request.decided\"") })
        #expect(decision.contains("\"actor\":\"tester\""))
        #expect(decision.contains("\"comment\":\"while following\""))
    }
}
