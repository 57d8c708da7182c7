import Admin
import Foundation
import Store
import Testing
import Workflows

@Suite("requests commands on device requests")
struct DeviceRequestDecisionTests {
    /// Publishes a workflow that keeps every new device waiting for one approval, adds the device
    /// `name` and returns the id of its device request.
    private func heldDevice(_ fixture: AdminFixture, name: String = "sensor-9") throws -> String {
        let definition = """
            {"events": [{"protocol": "device", "operation": "created"}],
             "steps": [{"id": "approve", "type": "Approval"}]}
            """
        try fixture.store.transaction { session in
            if try session.publishedDefinitions().isEmpty {
                let record = try session.importDefinition(name: "onboarding", definition: definition, at: fixture.clock.now())
                try session.setPublished(definitionID: record.id, true, at: fixture.clock.now())
            }
        }
        _ = try fixture.run(["devices", "add", name, "--domain", "factory"])
        let device = try #require(try fixture.store.read { try $0.device(named: name, domainID: fixture.factory.id) })
        let request = try #require(try fixture.store.read { try $0.listDeviceRequests(deviceID: device.id) }.first)
        return request.id
    }

    @Test("show prints a held device request")
    func showHeld() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }
        let id = try heldDevice(fixture)

        let output = try fixture.run(["requests", "show", String(id.prefix(8))]).output
        let json = try #require(try fixture.json(["requests", "show", id, "--json"]) as? [String: Any])

        #expect(output.hasPrefix("Request      \(id)\nKind         device request for the created event\nState        AwaitingApproval (open)\nDevice       sensor-9\n"))
        #expect(output.contains("onboarding v1"))
        #expect(json["kind"] as? String == "device")
        #expect(json["action"] as? String == "created")
        #expect((json["instances"] as? [[String: Any]])?.first?["state"] as? String == "AwaitingApproval")
    }

    @Test("approve and reject decide device requests")
    func approveAndReject() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }
        let approved = try heldDevice(fixture)
        let rejected = try heldDevice(fixture, name: "sensor-10")

        let approval = try fixture.run(["requests", "approve", String(approved.prefix(8)), "--by", "alice"]).output
        let rejection = try fixture.run(["requests", "reject", rejected, "--by", "bob", "--comment", "unknown site"]).output
        let audit = try fixture.run(["audit", "--request", String(approved.prefix(8)), "--json"]).output

        // The device aggregate maps an instance that ended Approved or Rejected to Running; the
        // request is finalized because its only instance is.
        #expect(approval == "Approved device request \(approved) (created event of device sensor-9) as alice; its state is now Running (finalized).\n")
        #expect(rejection == "Rejected device request \(rejected) (created event of device sensor-10) as bob; its state is now Running (finalized).\n")
        let instances = try fixture.store.read { session in
            try [approved, rejected].map { try session.instances(parent: .deviceRequest($0)).map(\.state) }
        }
        #expect(instances == [["Approved"], ["Rejected"]])
        #expect(audit.contains("\"event\":\"request.decided\""))
        #expect(audit.contains("\"actor\":\"alice\""))
        #expect(throws: WorkflowError.requestNotAwaitingApproval(requestID: approved, state: "Running")) {
            try fixture.run(["requests", "approve", approved])
        }
    }

    @Test("abort rejects a device request")
    func abortRejected() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }
        let id = try heldDevice(fixture)

        #expect(throws: AdminError.deviceRequestNotAbortable(id: id)) {
            try fixture.run(["requests", "abort", id])
        }
    }

    @Test("prefix shared by both kinds is ambiguous")
    func prefixAcrossKinds() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }
        let device = try fixture.addDevice("sensor-1", domain: fixture.factory)
        let enrollmentID = "abcd0001-0000-4000-8000-000000000001"
        let deviceRequestID = "abcd0002-0000-4000-8000-000000000002"
        try fixture.insertRequest(
            id: enrollmentID, device: device, domain: fixture.factory, state: "AwaitingApproval", fingerprint: "f1",
            createdAt: TestClock.start)
        try fixture.store.transaction { session in
            try session.insertDeviceRequest(DeviceRequestRecord(
                id: deviceRequestID, deviceID: device.id, domainID: fixture.factory.id, caID: nil, action: .onboarded,
                aggregatedState: "Finalized", finalized: true, createdAt: TestClock.start, updatedAt: TestClock.start))
        }

        #expect(throws: AdminError.ambiguousRequestPrefix(prefix: "abcd", matches: [enrollmentID, deviceRequestID], total: 2)) {
            try fixture.run(["requests", "show", "abcd"])
        }
        #expect(try fixture.run(["requests", "show", "abcd0002"]).output.contains("device request for the onboarded event"))

        // With more matches than are listed, the first five of both kinds are named and all are counted.
        try fixture.store.transaction { session in
            for index in 3...7 {
                try session.insertDeviceRequest(DeviceRequestRecord(
                    id: "abcd000\(index)-0000-4000-8000-00000000000\(index)", deviceID: device.id, domainID: nil, caID: nil,
                    action: .onboarded, aggregatedState: "Finalized", finalized: true, createdAt: TestClock.start,
                    updatedAt: TestClock.start))
            }
        }
        let error = #expect(throws: AdminError.self) { try fixture.run(["requests", "show", "ABCD"]) }
        #expect(error?.description == "request id prefix \"ABCD\" matches 7 requests (\(enrollmentID), \(deviceRequestID), "
            + "abcd0003-0000-4000-8000-000000000003, abcd0004-0000-4000-8000-000000000004, "
            + "abcd0005-0000-4000-8000-000000000005 and 2 more); give more characters")
    }
}
