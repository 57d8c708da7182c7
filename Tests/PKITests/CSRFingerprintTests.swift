import COpenSSL
@testable import PKI
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
        #expect(first.fingerprint == second.fingerprint)
        #expect(first.fingerprint.count == 64)
    }

    @Test("challengePassword does not change fingerprint")
    func challengePassword() throws {
        let key = try PrivateKey.generate(.ecdsa(.p256))
        let subject = DistinguishedName([("CN", "dev1")])
        let names: [GeneralName] = [.dns("dev1.example")]
        let plain = try CertificateSigningRequest.create(subject: subject, subjectAlternativeNames: names, signingKey: key)
        let withOTP = try CertificateSigningRequest.create(subject: subject, subjectAlternativeNames: names, challengePassword: "otp-1", signingKey: key)
        let withBinding = try CertificateSigningRequest.create(subject: subject, subjectAlternativeNames: names, challengePassword: "binding-2", signingKey: key)

        #expect(withOTP.fingerprint == plain.fingerprint)
        #expect(withBinding.fingerprint == plain.fingerprint)
    }

    @Test("different content changes fingerprint")
    func differentContent() throws {
        let key = try PrivateKey.generate(.ecdsa(.p256))
        let first = try CertificateSigningRequest.create(subject: DistinguishedName([("CN", "dev1")]), signingKey: key)
        let otherSubject = try CertificateSigningRequest.create(subject: DistinguishedName([("CN", "dev2")]), signingKey: key)
        let otherKey = try CertificateSigningRequest.create(subject: DistinguishedName([("CN", "dev1")]), signingKey: PrivateKey.generate(.ecdsa(.p256)))

        #expect(first.fingerprint != otherSubject.fingerprint)
        #expect(first.fingerprint != otherKey.fingerprint)
    }

    @Test("openssl fixtures with challengePassword group")
    func opensslFixtures() throws {
        let plain = try CertificateSigningRequest(pemEncoded: PKITestFixtures.csrText("p256.pem"))
        let challenge = try CertificateSigningRequest(pemEncoded: PKITestFixtures.csrText("p256-challenge.pem"))
        let other = try CertificateSigningRequest(pemEncoded: PKITestFixtures.csrText("p256-challenge-other.pem"))

        #expect(challenge.fingerprint == plain.fingerprint)
        #expect(other.fingerprint == plain.fingerprint)
    }

    @Test("fingerprint is SHA-256 of request info")
    func matchesOpenSSLInfo() throws {
        let csr = try CertificateSigningRequest(pemEncoded: PKITestFixtures.csrText("p256.pem"))
        // The fixture's outer SEQUENCE header is 4 bytes, so its CertificationRequestInfo starts at offset 4.
        let parsed = try ProcessRunner.check("openssl", ["asn1parse", "-in", PKITestFixtures.csrPath("p256.pem"), "-strparse", "4", "-noout", "-out", "/dev/stdout"])
        #expect(csr.fingerprint == Digest.sha256(parsed.standardOutput).hexString)
    }

    @Test(
        "fingerprint equals OpenSSL's re-encoded request info",
        arguments: ["p256.pem", "p256-challenge.pem", "p256-sans.pem", "rsa2048-sans.pem", "rsa-pss-sans.pem", "ed25519-sans.pem"])
    func matchesOpenSSLReencoding(fixture: String) throws {
        let csr = try CertificateSigningRequest(pemEncoded: PKITestFixtures.csrText(fixture))
        #expect(csr.fingerprint == Self.opensslFingerprint(csr.derEncoded))
    }

    @Test("attribute order does not change fingerprint")
    func attributeOrder() throws {
        let key = try PrivateKey.generate(.ecdsa(.p256))
        let csr = try CertificateSigningRequest.create(
            subject: DistinguishedName([("CN", "dev1")]), subjectAlternativeNames: [.dns("dev1.example")],
            challengePassword: "otp-1", signingKey: key)
        let reordered = try Self.reversingAttributes(csr.derEncoded)
        #expect(reordered != csr.derEncoded)

        let parsed = try CertificateSigningRequest(derEncoded: reordered)

        #expect(parsed.fingerprint == csr.fingerprint)
        #expect(parsed.fingerprint == Self.opensslFingerprint(reordered))
    }

    @Test("indefinite length is rejected with its offset")
    func indefiniteLength() throws {
        let der = try CertificateSigningRequest(pemEncoded: PKITestFixtures.csrText("p256.pem")).derEncoded
        // The outer SEQUENCE in BER indefinite form: 30 80 ... 00 00.
        let body = try DER.element(filling: der).contents
        let indefinite = [0x30, 0x80] + der[body] + [0x00, 0x00]

        let error = try #require(throws: PKIError.self) { try CertificateSigningRequest(derEncoded: indefinite) }

        #expect(error.code == .invalidCSR)
        #expect(error.message.contains("indefinite length is not DER at byte 0"))
    }

    /// Computes the fingerprint as OpenSSL would: the request info re-encoded after deleting
    /// every challengePassword attribute.
    private static func opensslFingerprint(_ der: [UInt8]) -> String? {
        der.withUnsafeBufferPointer { buffer -> String? in
            var cursor = buffer.baseAddress
            guard let request = d2i_X509_REQ(nil, &cursor, buffer.count) else {
                return nil
            }
            defer { X509_REQ_free(request) }
            while case let index = X509_REQ_get_attr_by_NID(request, NID_pkcs9_challengePassword, -1), index >= 0 {
                X509_ATTRIBUTE_free(X509_REQ_delete_attr(request, index))
            }
            var output: UnsafeMutablePointer<UInt8>?
            let length = i2d_re_X509_REQ_tbs(request, &output)
            guard length > 0, let output else {
                return nil
            }
            defer { CRYPTO_free(output, #file, #line) }
            return Digest.sha256(Array(UnsafeBufferPointer(start: output, count: Int(length)))).hexString
        }
    }

    /// Returns the CSR with its attributes in reverse order. Its signature no longer verifies.
    private static func reversingAttributes(_ der: [UInt8]) throws -> [UInt8] {
        let parts = try RequestParts(der)
        return try parts.reassembled(attributes: parts.attributes.reversed())
    }
}
