import Foundation
import PKI
import Store
import Workflows

/// Writes pending enrollment requests straight into a gateway's store, in large transactions, so a
/// poll benchmark can run against a database holding millions of them.
struct PendingRequestSeeder {
    var settings: SeedSettings

    /// What every seeded request shares: its identity columns apart from the fingerprint, and
    /// the workflows that wait on it.
    struct Target {
        var domain: DomainRecord
        var device: DeviceRecord?
        var template: String
        /// Published definitions the real fan-out would start, each with its first step id.
        var definitions: [(id: Int64, firstStep: String)]
    }

    /// Adds `settings.pending` requests, printing progress to standard error after each batch.
    /// Returns the elapsed seconds.
    func run(progress: (Int, Double) -> Void) throws -> Double {
        guard FileManager.default.fileExists(atPath: settings.databasePath) else {
            throw SeedError("\(settings.databasePath) does not exist; run estgate serve --data-dir once to create it")
        }
        let store = try SQLiteStore(path: settings.databasePath, maximumConnections: 1)
        defer { try? store.close() }

        let target = try store.read { try resolveTarget($0) }
        let template = try PayloadTemplate(target: target)
        let started = DispatchTime.now().uptimeNanoseconds

        var written = 0
        while written < settings.pending {
            let count = min(settings.batch, settings.pending - written)
            try store.transaction { session in
                let time = Date().storePrecision
                for _ in 0..<count {
                    try insertPendingRequest(target: target, template: template, session: session, at: time)
                }
            }
            written += count
            progress(written, Double(DispatchTime.now().uptimeNanoseconds - started) / 1_000_000_000)
        }
        return Double(DispatchTime.now().uptimeNanoseconds - started) / 1_000_000_000
    }

    private func resolveTarget(_ session: any StoreSession) throws -> Target {
        guard let domain = try session.domain(named: settings.domain) else {
            throw SeedError("domain \(settings.domain) not found")
        }

        var device: DeviceRecord?
        if let name = settings.device {
            guard let named = try session.device(named: name, domainID: domain.id) else {
                throw SeedError("device \(name) not found in domain \(domain.name)")
            }
            device = named
        } else {
            device = try session.listDevices(domainID: domain.id).first
        }

        var definitions: [(id: Int64, firstStep: String)] = []
        for definition in try session.publishedDefinitions() {
            let document = try JSONDecoder().decode(WorkflowDefinitionDocument.self, from: Data(definition.definition.utf8))
            let scopes = try session.scopes(definitionID: definition.id)
            let inScope =
                scopes.isEmpty
                || scopes.contains { $0.matches(caID: domain.caID, domainID: domain.id, deviceID: device?.id) }
            guard inScope, document.handles(protocol: "est", operation: "simpleenroll") else {
                continue
            }
            guard let first = document.steps.first, first.type == ApprovalStep.stepType else {
                throw SeedError(
                    "workflow \(definition.name) applies to domain \(domain.name) but does not start with an Approval step, so its requests would not wait")
            }
            definitions.append((definition.id, first.id))
        }
        guard !definitions.isEmpty else {
            throw SeedError("no published workflow applies to simpleenroll in domain \(domain.name), so its requests would not wait")
        }

        return Target(
            domain: domain, device: device, template: domain.defaultProfile ?? "device", definitions: definitions)
    }

    /// The rows the engine writes for a first simpleenroll whose workflows all wait for approval.
    private func insertPendingRequest(
        target: Target, template: PayloadTemplate, session: any StoreSession, at time: Date
    ) throws {
        let fingerprint = Self.randomFingerprint()
        let request = EnrollmentRequestRecord(
            protocolName: "est", operation: "simpleenroll", caID: target.domain.caID, domainID: target.domain.id,
            deviceID: target.device?.id, fingerprint: fingerprint, template: target.template,
            aggregatedState: State.awaitingApproval.rawValue, csrDER: template.csrDER, createdAt: time, updatedAt: time)
        try session.insertEnrollmentRequest(request)
        _ = try session.appendAuditEvent(AuditEventRecord(
            time: time, event: "request.created", requestID: request.id, deviceID: request.deviceID,
            domainID: request.domainID, newState: State.running.rawValue,
            details: #"{"fingerprint":"\#(fingerprint)","operation":"simpleenroll","template":"\#(target.template)"}"#))

        let payload = template.payload(requestID: request.id, fingerprint: fingerprint)
        for definition in target.definitions {
            _ = try session.insertInstance(WorkflowInstanceRecord(
                definitionID: definition.id, parent: .enrollmentRequest(request.id), currentStep: definition.firstStep,
                state: State.awaitingApproval.rawValue, payload: payload, createdAt: time, updatedAt: time))
        }
        _ = try session.appendAuditEvent(AuditEventRecord(
            time: time, event: "request.state_changed", requestID: request.id, deviceID: request.deviceID,
            domainID: request.domainID, previousState: State.running.rawValue, newState: State.awaitingApproval.rawValue,
            details: #"{"reason":null}"#))
    }

    /// 64 lowercase hex digits, the shape of a real CSR fingerprint (SHA-256).
    private static func randomFingerprint() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in
            let hex = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }
}

struct SeedError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
