import Foundation
import PKI
import Testing
import TestSupport

@Suite("PKCS7 certs-only")
struct PKCS7Tests {
    @Test("round trip keeps order")
    func roundTrip() throws {
        let pki = try TestPKI()
        let chain = pki.issuing.caChain
        let der = PKCS7.certsOnly(chain)
        #expect(try PKCS7.certificates(fromCertsOnly: der) == chain)
        #expect(try PKCS7.certificates(fromCertsOnly: PKCS7.certsOnly([])) == [])
    }

    @Test("read certificates keep usable keys", arguments: [KeySpec.ecdsa(.p256), .rsa(bits: 2048), .ed25519])
    func keysUsable(spec: KeySpec) throws {
        let pki = try TestPKI(keySpec: spec)
        let leaf = try pki.issuing.issue(csr: TestPKI.request(spec), profile: .deviceClient, now: TestPKI.now)

        let read = try PKCS7.certificates(fromCertsOnly: PKCS7.certsOnly([leaf] + pki.issuing.caChain))

        try #require(read.count == 3)
        #expect(try read[0].publicKey == leaf.publicKey)
        #expect(read[0].subject == leaf.subject)
        #expect(read[0].keyUsage == ["digitalSignature"])
        try read[0].verifySignature(issuer: read[1])
        let path = try TrustStore(certificates: [read[2]]).verify(leaf: read[0], intermediates: [read[1]], at: TestPKI.now)
        #expect(path == [leaf] + pki.issuing.caChain)
    }

    @Test("openssl prints certificates")
    func opensslPrint() throws {
        let pki = try TestPKI()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("certs.p7")
        try Data(PKCS7.certsOnly(pki.issuing.caChain)).write(to: URL(fileURLWithPath: path))

        let output = try ProcessRunner.check("openssl", ["pkcs7", "-inform", "DER", "-in", path, "-print_certs", "-noout"]).output

        #expect(output.contains("subject=O = Example, CN = Test Issuing CA"))
        #expect(output.contains("subject=O = Example, CN = Test Root CA"))
        let printed = try ProcessRunner.check("openssl", ["pkcs7", "-inform", "DER", "-in", path, "-print_certs"]).output
        #expect(try Certificate.certificates(fromPEM: printed) == pki.issuing.caChain)
    }

    @Test("reads openssl crl2pkcs7 output")
    func readOpenSSL() throws {
        let pki = try TestPKI()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let chainPath = try pki.issuing.caChain.map(\.pemEncoded).joined().write(in: directory, as: "chain.pem")

        let der = try ProcessRunner.check("openssl", ["crl2pkcs7", "-nocrl", "-certfile", chainPath, "-outform", "DER"]).standardOutput

        #expect(try PKCS7.certificates(fromCertsOnly: der) == pki.issuing.caChain)
    }

    @Test("encoding equals openssl crl2pkcs7")
    func matchesOpenSSL() throws {
        let pki = try TestPKI()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let chainPath = try pki.issuing.caChain.map(\.pemEncoded).joined().write(in: directory, as: "chain.pem")

        let der = try ProcessRunner.check("openssl", ["crl2pkcs7", "-nocrl", "-certfile", chainPath, "-outform", "DER"]).standardOutput

        #expect(PKCS7.certsOnly(pki.issuing.caChain) == der)
    }

    @Test("invalid DER is rejected")
    func invalidDER() throws {
        let error = try #require(throws: PKIError.self) { try PKCS7.certificates(fromCertsOnly: [0x30, 0x03, 0x02, 0x01, 0x01]) }
        #expect(error.code == .invalidPKCS7)
        #expect(error.message == "message is not DER PKCS#7 (5 bytes)")
    }

    @Test("signed message is rejected")
    func signedMessage() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let key = directory.file("key.pem")
        let certificate = directory.file("cert.pem")
        let content = try "hello".write(in: directory, as: "content.txt")
        try ProcessRunner.check("openssl", [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key,
            "-subj", "/CN=signer", "-days", "1", "-out", certificate,
        ])
        let signed = try ProcessRunner.check("openssl", [
            "smime", "-sign", "-in", content, "-signer", certificate, "-inkey", key, "-outform", "DER", "-binary",
        ]).standardOutput

        let error = try #require(throws: PKIError.self) { try PKCS7.certificates(fromCertsOnly: signed) }

        #expect(error.message == "PKCS#7 SignedData has 1 signers; a certs-only message has none")
    }
}
