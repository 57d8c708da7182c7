import PKI
import Testing
import TestSupport

@Suite("CertificateSigningRequest creation")
struct CSRCreationTests {
    @Test("created request verifies with openssl", arguments: [KeySpec.rsa(bits: 2048), .ecdsa(.p256), .ecdsa(.p521), .ed25519])
    func createAndVerify(spec: KeySpec) throws {
        let key = try PrivateKey.generate(spec)
        let subject = try DistinguishedName(parsing: "CN=dev1,O=Example")
        let names: [GeneralName] = [.dns("dev1.example"), .ipAddress("192.0.2.7"), .ipAddress("::1"), .uri("urn:dev1"), .email("dev1@example.com")]

        let csr = try CertificateSigningRequest.create(subject: subject, subjectAlternativeNames: names, challengePassword: "otp 42", signingKey: key)

        try csr.verifySignature()
        #expect(csr.subject == subject)
        #expect(csr.subjectAlternativeNames == names)
        #expect(csr.challengePassword == "otp 42")
        #expect(try csr.publicKey == key.publicKey)

        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("request.pem")
        try csr.pemEncoded.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try ProcessRunner.check("openssl", ["req", "-in", path, "-verify", "-noout", "-subject", "-nameopt", "RFC2253"])
        #expect(result.output.contains("subject=CN=dev1,O=Example"))
        #expect(result.errorOutput.contains("verify OK") || result.output.contains("verify OK"))
    }

    @Test("other general names cannot be encoded")
    func otherName() throws {
        let key = try PrivateKey.generate(.ecdsa(.p256))
        let error = try #require(throws: PKIError.self) {
            try CertificateSigningRequest.create(subject: DistinguishedName([("CN", "x")]), subjectAlternativeNames: [.other("DirName:/CN=x")], signingKey: key)
        }
        #expect(error.code == .invalidGeneralName)
        #expect(error.message == "subjectAltName \"DirName:/CN=x\" cannot be encoded; only DNS, IP, URI and email names can")
    }

    @Test("invalid IP address is rejected")
    func invalidIPAddress() throws {
        let key = try PrivateKey.generate(.ecdsa(.p256))
        let error = try #require(throws: PKIError.self) {
            try CertificateSigningRequest.create(subject: DistinguishedName([("CN", "x")]), subjectAlternativeNames: [.ipAddress("300.1.1.1")], signingKey: key)
        }
        #expect(error.message == "subjectAltName IP address \"300.1.1.1\" is invalid")
    }
}
