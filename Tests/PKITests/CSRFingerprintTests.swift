import PKI
import Testing
import TestSupport

@Suite("CertificateSigningRequest fingerprint")
struct CSRFingerprintTests {
    @Test("re-signed request keeps fingerprint")
    func resigned() throws {
        let key = try PrivateKey.generate(.ecdsa(.p256))
        let subject = DistinguishedName([("O", "Example"), ("CN", "dev1")])
        let first = try CertificateSigningRequest.create(subject: subject, signingKey: key)
        let second = try CertificateSigningRequest.create(subject: subject, signingKey: key)

        #expect(first.derEncoded != second.derEncoded)
        #expect(try first.fingerprint == second.fingerprint)
        #expect(try first.fingerprint.count == 64)
    }

    @Test("challengePassword does not change fingerprint")
    func challengePassword() throws {
        let key = try PrivateKey.generate(.ecdsa(.p256))
        let subject = DistinguishedName([("CN", "dev1")])
        let names: [GeneralName] = [.dns("dev1.example")]
        let plain = try CertificateSigningRequest.create(subject: subject, subjectAlternativeNames: names, signingKey: key)
        let withOTP = try CertificateSigningRequest.create(subject: subject, subjectAlternativeNames: names, challengePassword: "otp-1", signingKey: key)
        let withBinding = try CertificateSigningRequest.create(subject: subject, subjectAlternativeNames: names, challengePassword: "binding-2", signingKey: key)

        #expect(try withOTP.fingerprint == plain.fingerprint)
        #expect(try withBinding.fingerprint == plain.fingerprint)
    }

    @Test("different content changes fingerprint")
    func differentContent() throws {
        let key = try PrivateKey.generate(.ecdsa(.p256))
        let first = try CertificateSigningRequest.create(subject: DistinguishedName([("CN", "dev1")]), signingKey: key)
        let otherSubject = try CertificateSigningRequest.create(subject: DistinguishedName([("CN", "dev2")]), signingKey: key)
        let otherKey = try CertificateSigningRequest.create(subject: DistinguishedName([("CN", "dev1")]), signingKey: PrivateKey.generate(.ecdsa(.p256)))

        #expect(try first.fingerprint != otherSubject.fingerprint)
        #expect(try first.fingerprint != otherKey.fingerprint)
    }

    @Test("openssl fixtures with challengePassword group")
    func opensslFixtures() throws {
        let plain = try CertificateSigningRequest(pemEncoded: PKITestFixtures.csrText("p256.pem"))
        let challenge = try CertificateSigningRequest(pemEncoded: PKITestFixtures.csrText("p256-challenge.pem"))
        let other = try CertificateSigningRequest(pemEncoded: PKITestFixtures.csrText("p256-challenge-other.pem"))

        #expect(try challenge.fingerprint == plain.fingerprint)
        #expect(try other.fingerprint == plain.fingerprint)
    }

    @Test("fingerprint is SHA-256 of request info")
    func matchesOpenSSLInfo() throws {
        let csr = try CertificateSigningRequest(pemEncoded: PKITestFixtures.csrText("p256.pem"))
        // The fixture's outer SEQUENCE header is 4 bytes, so its CertificationRequestInfo starts at offset 4.
        let parsed = try ProcessRunner.check("openssl", ["asn1parse", "-in", PKITestFixtures.csrPath("p256.pem"), "-strparse", "4", "-noout", "-out", "/dev/stdout"])
        #expect(try csr.fingerprint == Digest.sha256(parsed.standardOutput).hexString)
    }
}
