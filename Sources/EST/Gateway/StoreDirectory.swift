import Foundation
import PKI
import Store
import Synchronization
import Workflows

/// `EnrollmentDirectory` over the gateway store. Domains and devices are read on every request,
/// so administrative changes apply at once; CA keys and trust stores are loaded once and cached
/// because parsing a key and building an X509_STORE cost more than the rest of a poll.
public final class StoreDirectory: EnrollmentDirectory {
    private let store: any GatewayStore
    private let engine: WorkflowEngine
    private let authorities = Mutex<[Int64: CertificateAuthority]>([:])
    private let deviceTrustStores = Mutex<[String: TrustStore]>([:])
    private let gatewayTrustStores = Mutex<[Int64: TrustStore]>([:])
    /// Decoded profiles by their stored JSON, so an edited profile decodes anew and an unchanged
    /// one is not decoded on every poll.
    private let decodedProfiles = Mutex<[String: CertificateProfile]>([:])

    public init(store: any GatewayStore, engine: WorkflowEngine) {
        self.store = store
        self.engine = engine
    }

    public func domain(named name: String) throws -> DomainSettings? {
        guard let record = try store.read({ try $0.domain(named: name) }) else {
            return nil
        }
        return DomainSettings(record)
    }

    public func device(named name: String, domainID: Int64) throws -> DeviceIdentity? {
        try store.read { try $0.device(named: name, domainID: domainID) }.flatMap(DeviceIdentity.init(active:))
    }

    public func device(serialNumber: String, domainID: Int64) throws -> DeviceIdentity? {
        try store.read { try $0.devices(serialNumber: serialNumber) }
            .first { $0.domainID == domainID && $0.status == .active }
            .flatMap(DeviceIdentity.init(active:))
    }

    public func device(issuedCertificateSerial serial: String) throws -> DeviceIdentity? {
        try store.read { session -> DeviceRecord? in
            guard let issued = try session.issuedCertificate(serialNumber: serial.lowercased()),
                let deviceID = issued.deviceID
            else {
                return nil
            }
            return try session.device(id: deviceID)
        }.flatMap(DeviceIdentity.init(active:))
    }

    public func registerDevice(name: String, serialNumber: String?, domainID: Int64) throws -> DeviceIdentity {
        let (record, created) = try store.transaction { session in
            if let existing = try session.device(named: name, domainID: domainID) {
                return (existing, false)
            }
            return (try session.insertDevice(DeviceRecord(name: name, serialNumber: serialNumber, domainID: domainID)), true)
        }
        if created {
            let caID = try store.read { try $0.domain(id: domainID) }?.caID
            _ = try engine.raiseDeviceEvent(
                deviceID: record.id, domainID: domainID, caID: caID, action: .created,
                payload: .object(["registration": .string("automatic"), "name": .string(name)]))
        }
        return DeviceIdentity(record)
    }

    public func certificateAuthority(id: Int64) throws -> CertificateAuthority {
        if let cached = authorities.withLock({ $0[id] }) {
            return cached
        }
        guard let record = try store.read({ try $0.ca(id: id) }) else {
            throw GatewayError.startup("CA \(id) is not in the store")
        }
        let authority = try CertificateAuthority.load(
            certificatePath: record.certificatePath, privateKeyPath: record.privateKeyPath, chainPath: record.chainPath)
        authorities.withLock { $0[id] = authority }
        return authority
    }

    public func profile(named name: String) throws -> CertificateProfile? {
        guard let record = try store.read({ try $0.profile(named: name) }) else {
            return nil
        }
        if let cached = decodedProfiles.withLock({ $0[record.definition] }) {
            return cached
        }
        let profile: CertificateProfile
        do {
            profile = try JSONDecoder().decode(CertificateProfile.self, from: Data(record.definition.utf8))
        } catch {
            throw GatewayError.configuration("certificate profile \(name) in the store is invalid: \(error)")
        }
        decodedProfiles.withLock { $0[record.definition] = profile }
        return profile
    }

    public func deviceTrustStore(for domain: DomainSettings) throws -> TrustStore? {
        guard let pem = domain.trustAnchorsPEM, !pem.isEmpty else {
            return nil
        }
        if let cached = deviceTrustStores.withLock({ $0[pem] }) {
            return cached
        }
        let trustStore = try TrustStore(certificates: Certificate.certificates(fromPEM: pem))
        deviceTrustStores.withLock { $0[pem] = trustStore }
        return trustStore
    }

    public func gatewayTrustStore(for domain: DomainSettings) throws -> TrustStore {
        if let cached = gatewayTrustStores.withLock({ $0[domain.caID] }) {
            return cached
        }
        let authority = try certificateAuthority(id: domain.caID)
        let trustStore = try TrustStore(certificates: authority.caChain)
        gatewayTrustStores.withLock { $0[domain.caID] = trustStore }
        return trustStore
    }
}

extension DomainSettings {
    init(_ record: DomainRecord) {
        self.init(
            id: record.id, name: record.name, caID: record.caID, authentication: record.authMode,
            trustAnchorsPEM: record.trustAnchorsPEM, retryAfter: RetryAfter(seconds: record.retryAfterSeconds),
            automaticRetryAfter: RetryAfter(seconds: record.automaticRetryAfterSeconds),
            csrAttributes: record.csrAttributes, channelBindingRequired: record.channelBindingRequired,
            autoRegisterDevices: record.autoRegisterDevices,
            defaultProfile: record.defaultProfile ?? CertificateProfile.deviceClient.name, profiles: record.profiles,
            base64LineLength: record.base64LineLength)
    }
}

extension DeviceIdentity {
    init(_ record: DeviceRecord) {
        self.init(
            id: record.id, name: record.name, serialNumber: record.serialNumber,
            credentialHash: record.credentialHash, attributes: record.attributes)
    }

    /// Deleted devices keep their rows for the audit trail but can no longer enroll.
    init?(active record: DeviceRecord) {
        guard record.status == .active else {
            return nil
        }
        self.init(record)
    }
}
