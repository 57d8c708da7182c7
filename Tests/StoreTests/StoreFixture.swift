import Foundation
import Store
import TestSupport

/// A fresh SQLite database in a temporary directory with one CA and one domain.
final class StoreFixture {
    let directory: TemporaryDirectory
    let path: String
    private(set) var store: SQLiteStore
    let ca: CARecord
    let domain: DomainRecord

    init() throws {
        directory = try TemporaryDirectory(prefix: "estgate-store")
        path = directory.file("estgate.sqlite3")
        store = try SQLiteStore(path: path)
        (ca, domain) = try store.transaction { session in
            let ca = try session.insertCA(
                CARecord(name: "issuing", certificatePath: "/ca/cert.pem", privateKeyPath: "/ca/key.pem"))
            let domain = try session.insertDomain(DomainRecord(name: "default", caID: ca.id))
            return (ca, domain)
        }
    }

    /// Closes and reopens the database file.
    func reopen() throws {
        try store.close()
        store = try SQLiteStore(path: path)
    }

    func finish() {
        try? store.close()
        directory.remove()
    }

    func key(fingerprint: String = "ab12", deviceID: Int64? = nil, template: String = "tls-client") -> EnrollmentRequestKey {
        EnrollmentRequestKey(
            protocolName: "est", operation: "simpleenroll", caID: ca.id, domainID: domain.id, deviceID: deviceID,
            fingerprint: fingerprint, template: template)
    }

    func request(_ key: EnrollmentRequestKey, state: String = "AwaitingApproval", id: String? = nil) -> EnrollmentRequestRecord {
        EnrollmentRequestRecord(
            id: id ?? UUID().uuidString.lowercased(), protocolName: key.protocolName, operation: key.operation,
            caID: key.caID, domainID: key.domainID, deviceID: key.deviceID, fingerprint: key.fingerprint,
            template: key.template, aggregatedState: state, csrDER: [0x30, 0x00], createdAt: Date().storePrecision,
            updatedAt: Date().storePrecision)
    }
}
