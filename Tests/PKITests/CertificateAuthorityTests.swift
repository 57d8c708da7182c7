import Foundation
import PKI
import Synchronization
import Testing
import TestSupport

@Suite("CertificateAuthority issuing")
struct CertificateAuthorityTests {
    let pki: TestPKI

    init() throws {
        pki = try TestPKI()
    }

    @Test("issued certificate follows profile")
    func issueFollowsProfile() throws {
        let csr = try TestPKI.request()
        var profile = CertificateProfile.deviceClient
        profile.copySubjectAlternativeNames = ["dns", "ip"]

        let certificate = try pki.issuing.issue(csr: csr, profile: profile, now: TestPKI.now)

        #expect(certificate.subject.description == "CN=dev1,OU=Devices,O=Example")
        #expect(certificate.issuer == pki.issuing.certificate.subject)
        #expect(certificate.subjectAlternativeNames == [.dns("dev1.example"), .ipAddress("192.0.2.1")])
        #expect(certificate.keyUsage == ["digitalSignature"])
        #expect(certificate.extendedKeyUsage == ["clientAuth"])
        #expect(!certificate.isCertificateAuthority)
        #expect(certificate.notBefore == TestPKI.now - 300)
        #expect(certificate.notAfter == TestPKI.now + 365 * 86_400)
        #expect(certificate.serialNumberHex.count >= 16)
        #expect(certificate.matchesPublicKey(of: csr))
        try certificate.verifySignature(issuer: pki.issuing.certificate)
    }

    @Test("issued certificate extensions per openssl")
    func opensslText() throws {
        let certificate = try pki.issuing.issue(csr: TestPKI.request(), profile: .deviceClient, now: TestPKI.now)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try certificate.pemEncoded.write(in: directory, as: "leaf.pem")

        let text = try ProcessRunner.check("openssl", ["x509", "-in", path, "-noout", "-text"]).output

        #expect(text.contains("Version: 3 (0x2)"))
        #expect(text.contains("X509v3 Basic Constraints: critical\n                CA:FALSE"))
        #expect(text.contains("X509v3 Subject Key Identifier:"))
        #expect(text.contains("X509v3 Authority Key Identifier:"))
        #expect(text.contains("X509v3 Key Usage: critical\n                Digital Signature"))
        #expect(text.contains("TLS Web Client Authentication"))
    }

    @Test("issued chain verifies with openssl", arguments: [KeySpec.ecdsa(.p256), .rsa(bits: 2048), .ed25519])
    func opensslVerify(spec: KeySpec) throws {
        let pki = try TestPKI(keySpec: spec)
        let certificate = try pki.issuing.issue(csr: TestPKI.request(spec), profile: .deviceClient, now: TestPKI.now)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let root = try pki.root.certificate.pemEncoded.write(in: directory, as: "root.pem")
        let issuing = try pki.issuing.certificate.pemEncoded.write(in: directory, as: "issuing.pem")
        let leaf = try certificate.pemEncoded.write(in: directory, as: "leaf.pem")

        let result = try ProcessRunner.run(
            "openssl", ["verify", "-CAfile", root, "-untrusted", issuing, "-attime", TestPKI.opensslTime, "-purpose", "sslclient", leaf])

        #expect(result.exitCode == 0, "\(result.output) \(result.errorOutput)")
        #expect(result.output == "\(leaf): OK\n")
    }

    @Test("requested extensions are never copied")
    func requestedExtensionsIgnored() throws {
        let csr = try TestPKI.opensslRequest(
            keyOptions: ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
            requestOptions: [
                "-subj", "/CN=sneaky",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign",
                "-addext", "subjectAltName=DNS:sneaky.example,otherName:1.2.3.4;UTF8:x",
            ])
        #expect(csr.requestedExtensions.count == 3)

        let certificate = try pki.issuing.issue(csr: csr, profile: .deviceClient, now: TestPKI.now)

        #expect(!certificate.isCertificateAuthority)
        #expect(certificate.keyUsage == ["digitalSignature"])
        #expect(certificate.subjectAlternativeNames == [.dns("sneaky.example")])
    }

    @Test("validity is capped at CA notAfter")
    func validityCapped() throws {
        var profile = CertificateProfile.deviceClient
        profile.validityDays = 20 * 365
        let certificate = try pki.issuing.issue(csr: TestPKI.request(), profile: profile, now: TestPKI.now)
        #expect(certificate.notAfter == pki.issuing.certificate.notAfter)
    }

    @Test("expired CA does not issue")
    func expiredCA() throws {
        let later = pki.issuing.certificate.notAfter + 1
        let error = try #require(throws: PKIError.self) {
            try pki.issuing.issue(csr: TestPKI.request(), profile: .deviceClient, now: later)
        }
        #expect(error.code == .certificateExpired)
        #expect(error.message == "issuing CA CN=Test Issuing CA,O=Example expired at \(pki.issuing.certificate.notAfter)")
    }

    @Test("small RSA key is not allowed")
    func smallRSAKey() throws {
        let csr = try TestPKI.opensslRequest(
            keyOptions: ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"], requestOptions: ["-subj", "/CN=old"])

        let error = try #require(throws: PKIError.self) { try pki.issuing.issue(csr: csr, profile: .deviceClient, now: TestPKI.now) }

        #expect(error.code == .keyNotAllowed)
        #expect(error.message == "key rsa 1024 is not allowed by profile device; allowed: rsa>=2048, ecdsa-p256, ecdsa-p384, ed25519")
    }

    @Test("broken CSR signature is not issued")
    func brokenSignature() throws {
        let csr = try CertificateSigningRequest(derEncoded: PKITestFixtures.csrBytes("p256-bad-signature.der"))
        let error = try #require(throws: PKIError.self) { try pki.issuing.issue(csr: csr, profile: .deviceClient, now: TestPKI.now) }
        #expect(error.code == .signatureInvalid)
    }

    @Test(
        "issued certificate certifies the CSR key as encoded",
        arguments: ["p256.pem", "p384.pem", "p521.pem", "rsa2048.pem", "rsa-pss.pem", "ed25519.pem"])
    func certifiesCSRKey(fixture: String) throws {
        let csr = try CertificateSigningRequest(pemEncoded: PKITestFixtures.csrText(fixture))
        var profile = CertificateProfile.deviceClient
        profile.allowedKeys = ["rsa>=2048", "ecdsa", "ed25519"]

        let certificate = try pki.issuing.issue(csr: csr, profile: profile, now: TestPKI.now)

        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let leaf = try certificate.pemEncoded.write(in: directory, as: "leaf.pem")
        let certificateKey = try ProcessRunner.check("openssl", ["x509", "-in", leaf, "-noout", "-pubkey"]).output
        let requestKey = try ProcessRunner.check("openssl", ["req", "-in", PKITestFixtures.csrPath(fixture), "-noout", "-pubkey"]).output
        #expect(certificateKey == requestKey)
        #expect(certificate.matchesPublicKey(of: csr))
        try certificate.verifySignature(issuer: pki.issuing.certificate)
    }

    @Test("server-generated key replaces CSR key")
    func serverGeneratedKey() throws {
        let csr = try TestPKI.request()
        let key = try PrivateKey.generate(.ecdsa(.p384))

        let certificate = try pki.issuing.issue(csr: csr, profile: .deviceClient, now: TestPKI.now, publicKey: key.publicKey)

        #expect(try certificate.publicKey == key.publicKey)
        #expect(!certificate.matchesPublicKey(of: csr))
        #expect(certificate.subject.commonName == "dev1")
    }

    @Test("nothing left to name is rejected")
    func emptySubject() throws {
        let csr = try TestPKI.request(subject: "L=Berlin", names: [.uri("urn:x")])
        var profile = CertificateProfile.deviceClient
        profile.copySubjectAlternativeNames = ["dns"]
        let error = try #require(throws: PKIError.self) { try pki.issuing.issue(csr: csr, profile: profile, now: TestPKI.now) }
        #expect(error.message == "CSR has no subject attribute or subjectAltName that profile device keeps")
    }

    @Test("empty subject makes SAN critical")
    func sanOnly() throws {
        let csr = try TestPKI.request(subject: "L=Berlin", names: [.dns("dev9.example")])
        let certificate = try pki.issuing.issue(csr: csr, profile: .deviceClient, now: TestPKI.now)
        #expect(certificate.subject.attributes.isEmpty)
        #expect(certificate.subjectAlternativeNames == [.dns("dev9.example")])
    }

    @Test("concurrent issuing gives unique serials")
    func concurrentIssuing() throws {
        let csr = try TestPKI.request()
        let issuing = pki.issuing
        let serials = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<25 {
                if let certificate = try? issuing.issue(csr: csr, profile: .deviceClient, now: TestPKI.now) {
                    serials.withLock { $0.append(certificate.serialNumberHex) }
                }
            }
        }
        let all = serials.withLock { $0 }
        #expect(all.count == 200)
        #expect(Set(all).count == 200)
    }

    @Test("mismatched key is rejected")
    func mismatchedKey() throws {
        let error = try #require(throws: PKIError.self) {
            try CertificateAuthority(certificate: pki.issuing.certificate, privateKey: PrivateKey.generate(.ecdsa(.p256)), chain: [])
        }
        #expect(error.code == .keyMismatch)
        #expect(error.message == "private key does not match the CA certificate CN=Test Issuing CA,O=Example")
    }

    @Test("leaf certificate cannot be a CA")
    func leafAsCA() throws {
        let key = try PrivateKey.generate(.ecdsa(.p256))
        let csr = try CertificateSigningRequest.create(subject: DistinguishedName([("CN", "leaf")]), signingKey: key)
        let leaf = try pki.issuing.issue(csr: csr, profile: .deviceClient, now: TestPKI.now)
        let error = try #require(throws: PKIError.self) { try CertificateAuthority(certificate: leaf, privateKey: key, chain: []) }
        #expect(error.code == .invalidCertificate)
        #expect(error.message == "certificate CN=leaf is not a CA certificate (basicConstraints CA:TRUE is missing)")
    }
}
