import Foundation
import PKI
import Testing
import TestSupport

@Suite("TrustStore")
struct TrustStoreTests {
    let pki: TestPKI
    let leaf: Certificate
    let store: TrustStore

    init() throws {
        pki = try TestPKI()
        leaf = try pki.issuing.issue(csr: TestPKI.request(), profile: .deviceClient, now: TestPKI.now)
        store = try TrustStore(certificates: [pki.root.certificate])
    }

    @Test("verify returns chain to anchor")
    func verifyChain() throws {
        let chain = try store.verify(leaf: leaf, intermediates: [pki.issuing.certificate], at: TestPKI.now)
        #expect(chain == [leaf, pki.issuing.certificate, pki.root.certificate])
    }

    @Test("missing intermediate fails")
    func missingIntermediate() throws {
        let error = try #require(throws: PKIError.self) { try store.verify(leaf: leaf, at: TestPKI.now) }
        #expect(error.code == .verificationFailed)
        #expect(error.message == "certificate CN=dev1,OU=Devices,O=Example failed verification: unable to get local issuer certificate (depth 0, CN=dev1,OU=Devices,O=Example)")
    }

    @Test("expired leaf fails")
    func expired() throws {
        let error = try #require(throws: PKIError.self) {
            try store.verify(leaf: leaf, intermediates: [pki.issuing.certificate], at: TestPKI.now + 400 * 86_400)
        }
        #expect(error.message == "certificate CN=dev1,OU=Devices,O=Example failed verification: certificate has expired (depth 0, CN=dev1,OU=Devices,O=Example)")
    }

    @Test("wrong purpose fails")
    func wrongPurpose() throws {
        let error = try #require(throws: PKIError.self) {
            try store.verify(leaf: leaf, intermediates: [pki.issuing.certificate], at: TestPKI.now, purpose: .tlsServer)
        }
        #expect(error.message == "certificate CN=dev1,OU=Devices,O=Example failed verification: unsuitable certificate purpose (depth 0, CN=dev1,OU=Devices,O=Example)")
    }

    @Test("foreign root fails")
    func foreignRoot() throws {
        let other = try TrustStore(certificates: [TestPKI().root.certificate])
        let error = try #require(throws: PKIError.self) {
            try other.verify(leaf: leaf, intermediates: [pki.issuing.certificate], at: TestPKI.now)
        }
        #expect(error.message == "certificate CN=dev1,OU=Devices,O=Example failed verification: unable to get local issuer certificate (depth 1, CN=Test Issuing CA,O=Example)")
    }

    @Test("PEM file anchors load")
    func pemFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try pki.root.certificate.pemEncoded.write(in: directory, as: "anchors.pem")
        let fromFile = try TrustStore(pemFile: path)
        #expect(try fromFile.verify(leaf: leaf, intermediates: [pki.issuing.certificate], at: TestPKI.now).count == 3)
    }
}
