import Foundation
import Store
import Testing
import Workflows

@Suite("Workflow engine fan-out")
struct EngineFanOutTests {
    @Test("scopes select definitions")
    func scopesSelectDefinitions() throws {
        let fixture = try EngineFixture()
        defer { fixture.finish() }
        let caID = fixture.ca.id
        let domainID = fixture.domain.id
        let deviceID = fixture.device.id
        let scoped: [(String, [WorkflowScopeRecord])] = [
            ("everywhere", []),
            ("ca", [WorkflowScopeRecord(definitionID: 0, caID: caID)]),
            ("other-ca", [WorkflowScopeRecord(definitionID: 0, caID: fixture.otherCA.id)]),
            ("domain", [WorkflowScopeRecord(definitionID: 0, domainID: domainID)]),
            ("other-domain", [WorkflowScopeRecord(definitionID: 0, domainID: fixture.otherDomain.id)]),
            ("device", [WorkflowScopeRecord(definitionID: 0, deviceID: deviceID)]),
            ("ca-and-domain", [WorkflowScopeRecord(definitionID: 0, caID: caID, domainID: domainID)]),
            ("ca-and-other-domain", [WorkflowScopeRecord(definitionID: 0, caID: caID, domainID: fixture.otherDomain.id)]),
            ("all-three", [WorkflowScopeRecord(definitionID: 0, caID: caID, domainID: domainID, deviceID: deviceID)]),
            ("either", [
                WorkflowScopeRecord(definitionID: 0, domainID: fixture.otherDomain.id),
                WorkflowScopeRecord(definitionID: 0, deviceID: deviceID),
            ]),
        ]
        var names: [Int64: String] = [:]
        for (name, scopes) in scoped {
            names[try fixture.publish(name, steps: [.approval("approve")], scopes: scopes).id] = name
        }

        let withDevice = try fixture.submit()
        let withoutDevice = try fixture.submit(
            fixture.identity(fingerprint: "anon", caID: caID, domainID: domainID, deviceID: nil))
        let otherDomain = try fixture.submit(
            fixture.identity(fingerprint: "other", caID: caID, domainID: fixture.otherDomain.id, deviceID: nil))

        func matched(_ status: EnrollmentStatus) throws -> Set<String> {
            Set(try fixture.instances(status.requestID).compactMap { names[$0.definitionID] })
        }
        #expect(try matched(withDevice) == ["everywhere", "ca", "domain", "device", "ca-and-domain", "all-three", "either"])
        #expect(try matched(withoutDevice) == ["everywhere", "ca", "domain", "ca-and-domain"])
        #expect(try matched(otherDomain) == ["everywhere", "ca", "other-domain", "ca-and-other-domain", "either"])
    }

    @Test("events select definitions")
    func eventsSelectDefinitions() throws {
        let fixture = try EngineFixture()
        defer { fixture.finish() }
        try fixture.publish("reenroll-only", steps: [.approval("approve")], operations: ["simplereenroll"])

        let status = try fixture.submit()

        #expect(status.state == .passed)
        #expect(try fixture.instances(status.requestID).isEmpty)
    }

    @Test("unpublished definitions ignored")
    func unpublishedIgnored() throws {
        let fixture = try EngineFixture()
        defer { fixture.finish() }
        let definition = try fixture.publish("manual", steps: [.approval("approve")])
        try fixture.store.transaction { try $0.setPublished(definitionID: definition.id, false, at: Date()) }

        let status = try fixture.submit()

        #expect(try fixture.instances(status.requestID).isEmpty)
    }

    @Test("instance payload carries facts")
    func payloadCarriesFacts() throws {
        let fixture = try EngineFixture()
        defer { fixture.finish() }
        try fixture.publish("manual", steps: [.approval("approve")])

        let status = try fixture.submit()

        let instance = try #require(try fixture.instances(status.requestID).first)
        let payload = try JSONDecoder().decode(JSONValue.self, from: Data(instance.payload.utf8))
        #expect(payload["requestID"] == .string(status.requestID))
        #expect(payload["fingerprint"] == "f00d")
        #expect(payload["keyAlgorithm"] == "ecdsa")
        #expect(payload["subjectAlternativeNames"] == ["DNS:sensor-1.example"])
        #expect(payload["csr"] == "MAMCAQA=")
    }

    @Test("concurrent submissions share request")
    func concurrentSubmissions() throws {
        let fixture = try EngineFixture()
        defer { fixture.finish() }
        try fixture.publish("team", steps: [.approval("approve")])
        try fixture.publish("security", steps: [.check("policy"), .approval("approve")])
        let engine = fixture.engine
        let identity = fixture.identity()
        let facts = fixture.facts
        let results = ResultBox()

        DispatchQueue.concurrentPerform(iterations: 16) { _ in
            results.append(Result { try engine.submitEnrollment(identity, facts: facts, csrDER: [0x30, 0x00]) })
        }

        let statuses = try results.values.map { try $0.get() }
        #expect(statuses.count == 16)
        #expect(Set(statuses.map(\.requestID)).count == 1)
        #expect(statuses.filter(\.created).count == 1)
        let open = try fixture.store.read {
            try $0.listEnrollmentRequests(EnrollmentRequestFilter(finalized: false))
        }
        #expect(open.count == 1)
        let instances = try fixture.instances(try #require(statuses.first).requestID)
        #expect(instances.count == 2)
        #expect(Set(instances.map(\.definitionID)).count == 2)
    }
}

/// Collects results from concurrent threads.
// Every access goes through `lock`.
final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Result<EnrollmentStatus, any Error>] = []

    func append(_ result: Result<EnrollmentStatus, any Error>) {
        lock.withLock { stored.append(result) }
    }

    var values: [Result<EnrollmentStatus, any Error>] {
        lock.withLock { stored }
    }
}
