import Foundation
import Logging
import Store
import TestSupport
import Workflows

/// A real SQLite database in a temporary directory with a CA, two domains and a device, and a
/// workflow engine over it using the test step executors.
final class EngineFixture {
    let directory: TemporaryDirectory
    let path: String
    private(set) var store: SQLiteStore
    private(set) var engine: WorkflowEngine
    let ca: CARecord
    let otherCA: CARecord
    let domain: DomainRecord
    let otherDomain: DomainRecord
    let device: DeviceRecord
    static let logger = Logger(label: "estgate.workflows.test")

    init() throws {
        directory = try TemporaryDirectory(prefix: "estgate-engine")
        path = directory.file("estgate.sqlite3")
        store = try SQLiteStore(path: path, maximumConnections: 16)
        engine = EngineFixture.makeEngine(store)
        let records = try store.transaction { session in
            let ca = try session.insertCA(CARecord(name: "issuing", certificatePath: "/c.pem", privateKeyPath: "/k.pem"))
            let otherCA = try session.insertCA(CARecord(name: "other", certificatePath: "/o.pem", privateKeyPath: "/ok.pem"))
            let domain = try session.insertDomain(DomainRecord(name: "default", caID: ca.id))
            let otherDomain = try session.insertDomain(DomainRecord(name: "factory", caID: ca.id))
            let device = try session.insertDevice(DeviceRecord(name: "sensor-1", domainID: domain.id))
            return (ca, otherCA, domain, otherDomain, device)
        }
        (ca, otherCA, domain, otherDomain, device) = records
    }

    static func makeEngine(_ store: SQLiteStore) -> WorkflowEngine {
        WorkflowEngine(
            store: store, executors: [TestStepExecutor.synchronous, TestStepExecutor.background], logger: logger,
            waitRecheckInterval: 0)
    }

    func reopen() throws {
        try store.close()
        store = try SQLiteStore(path: path, maximumConnections: 16)
        engine = EngineFixture.makeEngine(store)
    }

    func finish() {
        try? store.close()
        directory.remove()
    }

    /// Imports and publishes a definition of `steps` for `operations`, with optional scopes.
    @discardableResult
    func publish(
        _ name: String, steps: [WorkflowStep], operations: [String] = ["simpleenroll"], protocolName: String = "est",
        scopes: [WorkflowScopeRecord] = []
    ) throws -> WorkflowDefinitionRecord {
        let document = WorkflowDefinitionDocument(
            events: operations.map { WorkflowEvent(protocol: protocolName, operation: $0) }, steps: steps)
        let text = String(decoding: try JSONEncoder().encode(document), as: UTF8.self)
        return try store.transaction { session in
            let definition = try session.importDefinition(name: name, definition: text, at: Date())
            try session.setPublished(definitionID: definition.id, true, at: Date())
            for scope in scopes {
                var scoped = scope
                scoped.definitionID = definition.id
                _ = try session.addScope(scoped)
            }
            return definition
        }
    }

    func identity(fingerprint: String = "f00d") -> EnrollmentIdentity {
        identity(fingerprint: fingerprint, caID: ca.id, domainID: domain.id, deviceID: device.id)
    }

    func identity(fingerprint: String, caID: Int64, domainID: Int64, deviceID: Int64?) -> EnrollmentIdentity {
        EnrollmentIdentity(
            operation: "simpleenroll", caID: caID, domainID: domainID, deviceID: deviceID, fingerprint: fingerprint,
            template: "tls-client")
    }

    let facts = EnrollmentFacts(
        subject: "CN=sensor-1", commonName: "sensor-1", subjectAlternativeNames: ["DNS:sensor-1.example"],
        keyAlgorithm: "ecdsa", keyBits: 256, curve: "prime256v1", deviceName: "sensor-1", domainName: "default",
        caName: "issuing")

    func submit(_ identity: EnrollmentIdentity? = nil) throws -> EnrollmentStatus {
        try engine.submitEnrollment(identity ?? self.identity(), facts: facts, csrDER: [0x30, 0x03, 0x02, 0x01, 0x00])
    }

    func instances(_ requestID: String) throws -> [WorkflowInstanceRecord] {
        try store.read { try $0.instances(parent: .enrollmentRequest(requestID)) }
    }

    func request(_ requestID: String) throws -> EnrollmentRequestRecord? {
        try store.read { try $0.enrollmentRequest(id: requestID) }
    }

    func audit(_ requestID: String) throws -> [AuditEventRecord] {
        try store.read { try $0.auditEvents(AuditEventFilter(requestID: requestID)) }
    }

    func certificate(serial: String) -> IssuedCertificateRecord {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        return IssuedCertificateRecord(
            serialNumber: serial, subject: "CN=sensor-1", notBefore: start, notAfter: start.addingTimeInterval(86_400),
            der: Array("certificate \(serial)".utf8))
    }
}

extension WorkflowStep {
    static func approval(_ id: String, required: Int? = nil, transitions: [String: String]? = nil) -> WorkflowStep {
        WorkflowStep(
            id: id, type: "Approval", params: required.map { ["required_approvals": .number(Double($0))] } ?? [:],
            transitions: transitions)
    }

    static func check(_ id: String, outcome: String = "pass", transitions: [String: String]? = nil) -> WorkflowStep {
        WorkflowStep(id: id, type: "TestCheck", params: ["outcome": .string(outcome)], transitions: transitions)
    }

    static func hook(_ id: String, outcome: String = "pass") -> WorkflowStep {
        WorkflowStep(id: id, type: "TestHook", params: ["outcome": .string(outcome)])
    }
}
