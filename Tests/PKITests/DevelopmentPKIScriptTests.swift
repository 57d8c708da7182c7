import Foundation
import PKI
import Testing
import TestSupport

@Suite("make-dev-pki.sh")
struct DevelopmentPKIScriptTests {
    @Test("script output loads as CA")
    func scriptOutputLoads() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let script = PKITestFixtures.packageRoot.appendingPathComponent("certs/make-dev-pki.sh").path

        try ProcessRunner.check(script, [directory.path])

        let issuing = try CertificateAuthority.load(
            certificatePath: directory.file("issuing-ca.pem"), privateKeyPath: directory.file("issuing-ca.key"),
            chainPath: directory.file("ca-chain.pem"))
        let root = try Certificate(pemEncoded: String(contentsOfFile: directory.file("root-ca.pem"), encoding: .utf8))
        let server = try Certificate.certificates(fromPEMFile: directory.file("server.pem"))
        #expect(issuing.caChain.last == root)
        #expect(server.count == 2)
        #expect(server[0].subjectAlternativeNames == [.dns("localhost"), .ipAddress("127.0.0.1"), .ipAddress("::1")])
        let chain = try TrustStore(certificates: [root]).verify(leaf: server[0], intermediates: [server[1]], purpose: .tlsServer)
        #expect(chain.count == 3)

        let issued = try issuing.issue(csr: TestPKI.request(), profile: .deviceClient)
        #expect(try TrustStore(certificates: [root]).verify(leaf: issued, intermediates: [issuing.certificate]).count == 3)
        for key in ["root-ca.key", "issuing-ca.key", "server.key"] {
            let attributes = try FileManager.default.attributesOfItem(atPath: directory.file(key))
            #expect((attributes[.posixPermissions] as? Int) == 0o600, "\(key)")
        }
    }
}
