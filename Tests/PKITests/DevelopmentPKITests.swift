import Foundation
import PKI
import Testing
import TestSupport

@Suite("DevelopmentPKI")
struct DevelopmentPKITests {
    @Test("create writes files openssl verifies")
    func createAndVerify() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }

        let pki = try DevelopmentPKI.create(inDirectory: directory.path, now: TestPKI.now)

        for name in DevelopmentPKI.fileNames {
            #expect(FileManager.default.fileExists(atPath: directory.file(name)), "\(name)")
        }
        for key in ["root-ca.key", "issuing-ca.key", "server.key"] {
            let attributes = try FileManager.default.attributesOfItem(atPath: directory.file(key))
            #expect((attributes[.posixPermissions] as? Int) == 0o600, "\(key)")
        }
        let result = try ProcessRunner.run("openssl", [
            "verify", "-CAfile", pki.rootCertificatePath, "-untrusted", pki.issuingCertificatePath,
            "-attime", TestPKI.opensslTime, "-purpose", "sslserver", "-verify_hostname", "localhost", "-verify_ip", "::1",
            pki.serverCertificatePath,
        ])
        #expect(result.exitCode == 0, "\(result.output) \(result.errorOutput)")
        try ProcessRunner.check("openssl", ["pkey", "-in", pki.serverKeyPath, "-noout"])
    }

    @Test("create sets validity and names")
    func validityAndNames() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }

        let pki = try DevelopmentPKI.create(inDirectory: directory.path, keySpec: .ecdsa(.p384), now: TestPKI.now)

        #expect(pki.root.certificate.notAfter == TestPKI.now + 3653 * 86_400)
        #expect(pki.issuing.certificate.notAfter == TestPKI.now + 1826 * 86_400)
        #expect(pki.serverCertificate.notAfter == TestPKI.now + 365 * 86_400)
        #expect(pki.serverCertificate.subjectAlternativeNames == [.dns("localhost"), .ipAddress("127.0.0.1"), .ipAddress("::1")])
        #expect(pki.serverCertificate.extendedKeyUsage == ["serverAuth"])
        #expect(try pki.serverCertificate.publicKey.algorithm == .ecdsa(curve: .p384))
        #expect(pki.issuing.caChain == [pki.issuing.certificate, pki.root.certificate])
        #expect(try Certificate.certificates(fromPEMFile: pki.serverCertificatePath) == [pki.serverCertificate, pki.issuing.certificate])
    }

    @Test("load reads written CA files")
    func loadWrittenCA() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let pki = try DevelopmentPKI.create(inDirectory: directory.path, now: TestPKI.now)

        let loaded = try CertificateAuthority.load(
            certificatePath: pki.issuingCertificatePath, privateKeyPath: pki.issuingKeyPath, chainPath: pki.caChainPath)

        #expect(loaded.caChain == [pki.issuing.certificate, pki.root.certificate])
        let certificate = try loaded.issue(csr: TestPKI.request(), profile: .deviceClient, now: TestPKI.now)
        try certificate.verifySignature(issuer: pki.issuing.certificate)
    }

    @Test("load without chain uses bundle")
    func loadBundle() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let pki = try DevelopmentPKI.create(inDirectory: directory.path, now: TestPKI.now)

        let loaded = try CertificateAuthority.load(certificatePath: pki.caChainPath, privateKeyPath: pki.issuingKeyPath)

        #expect(loaded.chain == [pki.root.certificate])
    }

    @Test("load reports missing file")
    func loadMissingFile() throws {
        let error = try #require(throws: PKIError.self) {
            try CertificateAuthority.load(certificatePath: "/nonexistent/ca.pem", privateKeyPath: "/nonexistent/ca.key")
        }
        #expect(error.code == .fileAccess)
        #expect(error.message.hasPrefix("reading the certificate file /nonexistent/ca.pem failed: "))
    }
}
