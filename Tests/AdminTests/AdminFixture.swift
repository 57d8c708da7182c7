import Admin
import ArgumentParsing
import Foundation
import Logging
import PKI
import Store
import Synchronization
import TestSupport
import Workflows

/// What one in-process run of a command printed.
struct CommandResult {
    var status: Int32
    var output: String
    var errorOutput: String
}

/// A clock that moves only when a test advances it, so printed times are known in advance.
final class TestClock: Sendable {
    /// 2024-05-01T12:00:00Z.
    static let start = Date(timeIntervalSince1970: 1_714_564_800)
    private let current = Mutex(TestClock.start)

    func now() -> Date {
        current.withLock { $0 }
    }

    func advance(seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}

/// A gateway database in a temporary directory, seeded with one CA, one profile and the domains
/// `factory` and `open`, and a way to run admin commands against it in-process.
final class AdminFixture {
    static let root = CommandSpec(
        name: "estgate",
        abstract: "Test root with the executable's global options.",
        options: [
            .value("data-dir", valueName: "DIR", help: "Gateway data directory"),
            .value("config", valueName: "FILE", help: "JSON configuration file"),
        ],
        subcommands: AdminCommands.specs + [
            CommandSpec(name: "ca", abstract: "Certificate authorities.", subcommands: [AdminCommands.caListSpec])
        ])

    let directory: TemporaryDirectory
    let store: SQLiteStore
    let clock = TestClock()
    let ca: CARecord
    let factory: DomainRecord
    let open: DomainRecord

    init() throws {
        directory = try TemporaryDirectory(prefix: "estgate-admin")
        store = try SQLiteStore(path: directory.file(AdminCommands.databaseFileName))
        let start = TestClock.start
        (ca, factory, open) = try store.transaction { session in
            let ca = try session.insertCA(CARecord(
                name: "issuing", certificatePath: "/pki/issuing.pem", privateKeyPath: "/pki/issuing.key",
                chainPath: "/pki/root.pem", createdAt: start, updatedAt: start))
            _ = try session.insertProfile(ProfileRecord(name: "device-client", definition: "{}"))
            let factory = try session.insertDomain(DomainRecord(
                name: "factory", caID: ca.id, defaultProfile: "device-client", profiles: ["device-client"],
                createdAt: start, updatedAt: start))
            let open = try session.insertDomain(DomainRecord(name: "open", caID: ca.id, createdAt: start, updatedAt: start))
            return (ca, factory, open)
        }
    }

    func finish() {
        try? store.close()
        directory.remove()
    }

    var engine: WorkflowEngine {
        WorkflowEngine(store: store, logger: Logger(label: "estgate.admin.test"), clock: { [clock] in clock.now() })
    }

    /// Parses `arguments` against the command tree and runs the command in-process.
    ///
    /// Help requests come back as output with status 0; usage errors and command errors throw.
    func run(
        _ arguments: [String], standardInput: String = "", usesColor: Bool = false, userName: String? = "alice",
        output: AdminOutput? = nil, followShouldStop: @escaping @Sendable () -> Bool = { true }
    ) throws -> CommandResult {
        let output = output ?? AdminOutput.capturing(usesColor: usesColor)
        switch try Self.root.parse(arguments) {
        case .help(let text):
            return CommandResult(status: 0, output: text, errorOutput: "")
        case .command(let parsed):
            let environment = AdminEnvironment(
                now: { [clock] in clock.now() }, userName: userName,
                readStandardInput: { Array(standardInput.utf8) }, followPollInterval: .milliseconds(20),
                followShouldStop: followShouldStop)
            let status = try AdminCommands.run(parsed, store: store, output: output, environment: environment)
            return CommandResult(status: status, output: output.standardOutput, errorOutput: output.standardError)
        }
    }

    /// Returns the usage error that parsing or running `arguments` throws, or nil.
    func usageError(_ arguments: [String]) -> UsageError? {
        do {
            _ = try run(arguments)
            return nil
        } catch let error as UsageError {
            return error
        } catch {
            return nil
        }
    }

    /// Runs `arguments` with `--json` output and parses it.
    func json(_ arguments: [String]) throws -> Any {
        let result = try run(arguments)
        return try JSONSerialization.jsonObject(with: Data(result.output.utf8))
    }

    // MARK: Seeding

    /// Stores a published one-step manual approval workflow, optionally scoped to a domain.
    @discardableResult
    func publishApprovalWorkflow(name: String = "manual", approvals: Int = 1, domain: DomainRecord? = nil) throws
        -> WorkflowDefinitionRecord
    {
        let definition = """
            {"events": [{"protocol": "est", "operation": "simpleenroll"}],
             "steps": [{"id": "approve", "type": "Approval", "params": {"required_approvals": \(approvals)}}]}
            """
        let time = clock.now()
        return try store.transaction { session in
            let record = try session.importDefinition(name: name, definition: definition, at: time)
            try session.setPublished(definitionID: record.id, true, at: time)
            if let domain {
                _ = try session.addScope(WorkflowScopeRecord(definitionID: record.id, domainID: domain.id))
            }
            return try session.definition(id: record.id) ?? record
        }
    }

    func addDevice(_ name: String, domain: DomainRecord, serial: String? = nil, attributes: [String: String] = [:]) throws
        -> DeviceRecord
    {
        let time = clock.now()
        return try store.transaction { session in
            try session.insertDevice(DeviceRecord(
                name: name, serialNumber: serial, domainID: domain.id, attributes: attributes, createdAt: time,
                updatedAt: time))
        }
    }

    /// Submits a real P-256 CSR for `device` through the engine, as the EST layer does.
    func submitEnrollment(device: DeviceRecord?, domain: DomainRecord, commonName: String) throws -> EnrollmentStatus {
        let key = try PrivateKey.generate(.ecdsa(.p256))
        let csr = try CertificateSigningRequest.create(
            subject: try DistinguishedName(parsing: "CN=\(commonName),O=Example"),
            subjectAlternativeNames: [.dns("\(commonName).example")], signingKey: key)
        let identity = EnrollmentIdentity(
            operation: "simpleenroll", caID: ca.id, domainID: domain.id, deviceID: device?.id,
            fingerprint: csr.fingerprint, template: "device-client")
        let facts = EnrollmentFacts(
            subject: csr.subject.description, commonName: commonName, keyAlgorithm: "ecdsa", keyBits: 256,
            curve: "p256", deviceName: device?.name, domainName: domain.name, caName: ca.name)
        return try engine.submitEnrollment(identity, facts: facts, csrDER: csr.derEncoded)
    }

    /// Inserts a request row with a chosen id and time, for listings whose output is compared whole.
    func insertRequest(
        id: String, device: DeviceRecord?, domain: DomainRecord, state: String, fingerprint: String,
        createdAt: Date, finalized: Bool = false
    ) throws {
        try store.transaction { session in
            try session.insertEnrollmentRequest(EnrollmentRequestRecord(
                id: id, protocolName: "est", operation: "simpleenroll", caID: ca.id, domainID: domain.id,
                deviceID: device?.id, fingerprint: fingerprint, template: "device-client", aggregatedState: state,
                finalized: finalized, csrDER: [0x30, 0x00], createdAt: createdAt, updatedAt: createdAt))
        }
    }

    func writeFile(_ name: String, _ text: String) throws -> String {
        let path = directory.file(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
