import Admin
import ArgumentParsing
import Foundation
import Store
import Testing
import Workflows

@Suite("requests show and decisions")
struct RequestDecisionTests {
    @Test("approve through engine records actor")
    func approve() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }
        try fixture.publishApprovalWorkflow()
        let device = try fixture.addDevice("sensor-1", domain: fixture.factory)
        let submitted = try fixture.submitEnrollment(device: device, domain: fixture.factory, commonName: "sensor-1")
        #expect(submitted.state == .awaitingApproval)

        let result = try fixture.run([
            "requests", "approve", String(submitted.requestID.prefix(8)), "--by", "tester", "--comment", "looks right",
        ])

        #expect(result.output == "Approved request \(submitted.requestID) as tester; its state is now Approved.\n")
        let decided = try #require(try fixture.store.read { try $0.auditEvents(AuditEventFilter(requestID: submitted.requestID)) }
            .first { $0.event == "request.decided" })
        #expect(decided.actor == "tester")
        #expect(decided.comment == "looks right")
        #expect(decided.previousState == "AwaitingApproval")
        #expect(decided.newState == "Approved")
    }

    @Test("reject defaults actor to user")
    func rejectDefaultActor() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }
        try fixture.publishApprovalWorkflow()
        let submitted = try fixture.submitEnrollment(device: nil, domain: fixture.open, commonName: "unknown")

        let result = try fixture.run(["requests", "reject", submitted.requestID, "--comment", "unknown site"])

        #expect(result.output == "Rejected request \(submitted.requestID) as alice; its state is now Rejected.\n")
        let request = try #require(try fixture.store.read { try $0.enrollmentRequest(id: submitted.requestID) })
        #expect(request.finalized)
        #expect(request.reason == "unknown site")
    }

    @Test("actor falls back to admin")
    func actorFallback() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }
        try fixture.publishApprovalWorkflow()
        let submitted = try fixture.submitEnrollment(device: nil, domain: fixture.open, commonName: "x")

        let result = try fixture.run(["requests", "approve", submitted.requestID], userName: nil)

        #expect(result.output.contains(" as admin;"))
    }

    @Test("abort open request then refuse again")
    func abort() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }
        try fixture.publishApprovalWorkflow()
        let submitted = try fixture.submitEnrollment(device: nil, domain: fixture.open, commonName: "x")

        let result = try fixture.run(["requests", "abort", submitted.requestID, "--by", "bob"])

        #expect(result.output == "Aborted request \(submitted.requestID) as bob; its state is now Aborted.\n")
        #expect(throws: AdminError.requestFinalized(id: submitted.requestID, state: "Aborted")) {
            try fixture.run(["requests", "abort", submitted.requestID])
        }
    }

    @Test("approve of decided request fails")
    func approveDecided() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }
        try fixture.publishApprovalWorkflow()
        let submitted = try fixture.submitEnrollment(device: nil, domain: fixture.open, commonName: "x")
        _ = try fixture.run(["requests", "reject", submitted.requestID])

        #expect(throws: WorkflowError.requestNotAwaitingApproval(requestID: submitted.requestID, state: "Rejected")) {
            try fixture.run(["requests", "approve", submitted.requestID])
        }
    }

    @Test("unknown id names the value")
    func unknownID() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }

        #expect(throws: AdminError.notFound(entity: "request", key: "deadbeef")) {
            try fixture.run(["requests", "approve", "deadbeef"])
        }
        #expect(throws: AdminError.notFound(entity: "request", key: "not-hex!")) {
            try fixture.run(["requests", "show", "not-hex!"])
        }
    }

    @Test("ambiguous prefix lists matches")
    func ambiguousPrefix() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }
        for suffix in ["1", "2"] {
            try fixture.insertRequest(
                id: "abcd000\(suffix)-0000-4000-8000-00000000000\(suffix)", device: nil, domain: fixture.open,
                state: "AwaitingApproval", fingerprint: "f\(suffix)", createdAt: TestClock.start)
        }

        #expect(throws: AdminError.ambiguousRequestPrefix(
            prefix: "ABCD", matches: ["abcd0001-0000-4000-8000-000000000001", "abcd0002-0000-4000-8000-000000000002"],
            total: 2)
        ) {
            try fixture.run(["requests", "show", "ABCD"])
        }
        #expect(AdminError.ambiguousRequestPrefix(prefix: "abcd", matches: ["a", "b"], total: 2).description
            == "request id prefix \"abcd\" matches 2 requests (a, b); give more characters")
        #expect(try fixture.run(["requests", "show", "abcd0002"]).output.contains("abcd0002-0000-4000-8000-000000000002"))
    }

    @Test("missing id is a usage error")
    func missingID() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }

        let error = try #require(fixture.usageError(["requests", "approve", "--by", "x"]))

        #expect(error.code == .missingArgument)
        #expect(error.message == "missing argument <id>")
    }

    @Test("show prints CSR instances and runs")
    func showText() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }
        try fixture.publishApprovalWorkflow(name: "two-person", approvals: 2)
        let device = try fixture.addDevice("sensor-1", domain: fixture.factory)
        let submitted = try fixture.submitEnrollment(device: device, domain: fixture.factory, commonName: "sensor-1")
        _ = try fixture.run(["requests", "approve", submitted.requestID, "--by", "carol", "--comment", "first"])

        let output = try fixture.run(["requests", "show", submitted.requestID]).output

        let request = try #require(try fixture.store.read { try $0.enrollmentRequest(id: submitted.requestID) })
        #expect(output.contains("Request      \(submitted.requestID)\n"))
        #expect(output.contains("State        AwaitingApproval (open)\n"))
        #expect(output.contains("Device       sensor-1\n"))
        #expect(output.contains("  Subject      CN=sensor-1,O=Example\n"))
        #expect(output.contains("  SANs         DNS:sensor-1.example\n"))
        #expect(output.contains("  Key          ecdsa p256\n"))
        #expect(output.contains("  Fingerprint  \(request.fingerprint)\n"))
        #expect(output.contains("two-person v1  AwaitingApproval  approve       no"))
        #expect(output.contains("carol  first"))
        #expect(output.hasSuffix("Certificate\n  none issued\n"))
    }

    @Test("show json nests instances")
    func showJSON() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }
        try fixture.publishApprovalWorkflow()
        let submitted = try fixture.submitEnrollment(device: nil, domain: fixture.open, commonName: "cam-7")
        _ = try fixture.run(["requests", "approve", submitted.requestID, "--by", "dave"])

        let object = try #require(try fixture.json(["requests", "show", submitted.requestID, "--json"]) as? [String: Any])

        #expect(object["state"] as? String == "Approved")
        let csr = try #require(object["csr"] as? [String: Any])
        #expect(csr["subject"] as? String == "CN=cam-7,O=Example")
        #expect(csr["subject_alternative_names"] as? [String] == ["DNS:cam-7.example"])
        #expect(csr["key"] as? String == "ecdsa p256")
        let instances = try #require(object["instances"] as? [[String: Any]])
        #expect(instances.count == 1)
        #expect(instances.first?["workflow"] as? String == "manual v1")
        #expect(instances.first?["state"] as? String == "Approved")
        let runs = try #require(instances.first?["step_runs"] as? [[String: Any]])
        #expect(runs.last?["actor"] as? String == "dave")
        #expect(runs.last?["step"] as? String == "approve")
        #expect(object["certificate"] is NSNull)
    }
}
