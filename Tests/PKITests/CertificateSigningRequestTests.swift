import PKI
import Testing
import TestSupport

@Suite("CertificateSigningRequest parsing")
struct CertificateSigningRequestTests {
    static let expectedAlgorithms: [String: KeyAlgorithm] = [
        "rsa2048": .rsa(bits: 2048), "rsa3072": .rsa(bits: 3072), "rsa4096": .rsa(bits: 4096),
        "rsa-pss": .rsa(bits: 2048), "p256": .ecdsa(curve: .p256), "p384": .ecdsa(curve: .p384),
        "p521": .ecdsa(curve: .p521), "ed25519": .ed25519,
    ]

    @Test("fixture parses and verifies", arguments: PKITestFixtures.csrKeyTypes)
    func parseFixture(keyType: String) throws {
        let csr = try CertificateSigningRequest(pemEncoded: PKITestFixtures.csrText("\(keyType).pem"))

        try csr.verifySignature()
        #expect(try csr.publicKey.algorithm == Self.expectedAlgorithms[keyType])
        #expect(csr.subject.description == "serialNumber=SN-\(keyType),CN=device-\(keyType),OU=Devices,O=Example")
        #expect(csr.subject.commonName == "device-\(keyType)")
        #expect(csr.subject.serialNumber == "SN-\(keyType)")
        #expect(csr.subjectAlternativeNames.isEmpty)
        #expect(csr.challengePassword == nil)
        #expect(csr.requestedExtensions.isEmpty)
    }

    @Test("fixture SANs are read", arguments: PKITestFixtures.csrKeyTypes)
    func parseSANs(keyType: String) throws {
        let csr = try CertificateSigningRequest(pemEncoded: PKITestFixtures.csrText("\(keyType)-sans.pem"))

        try csr.verifySignature()
        #expect(csr.subjectAlternativeNames == [
            .dns("device1.example"), .ipAddress("192.0.2.10"), .ipAddress("2001:db8::10"),
            .uri("urn:example:device1"), .email("device1@example.com"),
        ])
        #expect(csr.subjectAlternativeNames.map(\.description).first == "DNS:device1.example")
        #expect(csr.requestedExtensions.map(\.oid) == ["2.5.29.17"])
        #expect(csr.requestedExtensions.first?.critical == false)
    }

    @Test("challengePassword is read")
    func challengePassword() throws {
        let csr = try CertificateSigningRequest(pemEncoded: PKITestFixtures.csrText("p256-challenge.pem"))
        try csr.verifySignature()
        #expect(csr.challengePassword == "otp-123456")
    }

    @Test("DER round trips byte for byte")
    func derRoundTrip() throws {
        let csr = try CertificateSigningRequest(pemEncoded: PKITestFixtures.csrText("p256.pem"))
        let again = try CertificateSigningRequest(derEncoded: csr.derEncoded)
        #expect(again.derEncoded == csr.derEncoded)
        #expect(try CertificateSigningRequest(pemEncoded: again.pemEncoded).derEncoded == csr.derEncoded)
    }

    @Test("flipped signature byte fails verification")
    func brokenSignature() throws {
        let csr = try CertificateSigningRequest(derEncoded: PKITestFixtures.csrBytes("p256-bad-signature.der"))
        let error = try #require(throws: PKIError.self) { try csr.verifySignature() }
        #expect(error.code == .signatureInvalid)
        #expect(error.message == "CSR signature does not verify with its public key")
    }

    @Test("truncated DER is rejected")
    func truncated() throws {
        let error = try #require(throws: PKIError.self) {
            try CertificateSigningRequest(derEncoded: PKITestFixtures.csrBytes("truncated.der"))
        }
        #expect(error.code == .invalidCSR)
        #expect(error.message == "CSR is not a DER PKCS#10 CertificationRequest (100 bytes)")
        #expect(!error.openSSLErrors.isEmpty)
        #expect(error.description.hasPrefix("CSR is not a DER PKCS#10 CertificationRequest (100 bytes) (OpenSSL: asn1 encoding routines: "))
    }

    @Test("garbage bytes are rejected")
    func garbage() throws {
        let error = try #require(throws: PKIError.self) {
            try CertificateSigningRequest(derEncoded: PKITestFixtures.csrBytes("garbage.bin"))
        }
        #expect(error.message == "CSR is not a DER PKCS#10 CertificationRequest (64 bytes)")
    }

    @Test("trailing bytes after DER are rejected")
    func trailingBytes() throws {
        let der = try CertificateSigningRequest(pemEncoded: PKITestFixtures.csrText("p256.pem")).derEncoded
        let error = try #require(throws: PKIError.self) { try CertificateSigningRequest(derEncoded: der + [0]) }
        #expect(error.message == "CSR is not a DER PKCS#10 CertificationRequest (\(der.count + 1) bytes)")
    }

    @Test("PEM without request block is rejected")
    func pemWithoutRequest() throws {
        let error = try #require(throws: PKIError.self) {
            try CertificateSigningRequest(pemEncoded: PEM.encode(label: "CERTIFICATE", der: [1]))
        }
        #expect(error.code == .invalidPEM)
        #expect(error.message == "no CERTIFICATE REQUEST PEM block found")
    }
}
