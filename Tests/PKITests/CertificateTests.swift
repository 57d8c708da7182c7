import Foundation
import PKI
import Testing
import TestSupport

@Suite("Certificate parsing")
struct CertificateTests {
    @Test("openssl certificate fields are read")
    func opensslCertificate() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("cert.pem")
        try ProcessRunner.check("openssl", [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", directory.file("key.pem"), "-out", path,
            "-subj", "/C=DE/O=Example/CN=server.example", "-days", "30", "-set_serial", "0x1234abcd",
            "-addext", "subjectAltName=DNS:server.example,IP:10.0.0.1",
            "-addext", "keyUsage=critical,digitalSignature,keyEncipherment",
            "-addext", "extendedKeyUsage=serverAuth,clientAuth",
        ])
        let endDate = try ProcessRunner.check("openssl", ["x509", "-in", path, "-noout", "-enddate", "-dateopt", "iso_8601"]).output

        let certificate = try Certificate(pemEncoded: String(contentsOfFile: path, encoding: .utf8))

        #expect(certificate.subject.description == "CN=server.example,O=Example,C=DE")
        #expect(certificate.issuer == certificate.subject)
        #expect(certificate.serialNumberHex == "1234abcd")
        #expect(certificate.subjectAlternativeNames == [.dns("server.example"), .ipAddress("10.0.0.1")])
        #expect(certificate.keyUsage == ["digitalSignature", "keyEncipherment"])
        #expect(certificate.extendedKeyUsage == ["serverAuth", "clientAuth"])
        #expect(certificate.isCertificateAuthority)
        #expect(try certificate.publicKey.algorithm == .rsa(bits: 2048))
        #expect(certificate.notAfter.timeIntervalSince(certificate.notBefore) == 30 * 86_400)
        #expect(endDate.contains(ISO8601DateFormatter().string(from: certificate.notAfter).replacingOccurrences(of: "T", with: " ")))
        try certificate.verifySignature(issuer: certificate)
    }

    @Test("PEM bundle parses in order")
    func bundle() throws {
        let pki = try TestPKI()
        let text = "chain:\n" + pki.issuing.caChain.map(\.pemEncoded).joined(separator: "\n") + "end\n"
        #expect(try Certificate.certificates(fromPEM: text) == pki.issuing.caChain)
        #expect(try Certificate(pemEncoded: text) == pki.issuing.certificate)
        #expect(try Certificate(derEncoded: pki.root.certificate.derEncoded) == pki.root.certificate)
    }

    @Test("invalid DER is rejected")
    func invalidDER() throws {
        let error = try #require(throws: PKIError.self) { try Certificate(derEncoded: [0x30, 0x00]) }
        #expect(error.code == .invalidCertificate)
        #expect(error.message == "certificate is not a DER X.509 certificate (2 bytes)")
    }

    @Test("PEM without certificate is rejected")
    func noCertificate() throws {
        let error = try #require(throws: PKIError.self) { try Certificate(pemEncoded: "nothing here") }
        #expect(error.code == .invalidPEM)
        #expect(error.message == "no CERTIFICATE PEM block found")
    }

    @Test("wrong issuer signature fails")
    func wrongIssuer() throws {
        let pki = try TestPKI()
        let error = try #require(throws: PKIError.self) { try pki.issuing.certificate.verifySignature(issuer: pki.issuing.certificate) }
        #expect(error.code == .signatureInvalid)
        #expect(error.message == "certificate CN=Test Issuing CA,O=Example is not signed by the key of CN=Test Issuing CA,O=Example")
    }

    @Test("CA certificates carry CA extensions")
    func caExtensions() throws {
        let pki = try TestPKI()
        for certificate in pki.issuing.caChain {
            #expect(certificate.isCertificateAuthority)
            #expect(certificate.keyUsage == ["keyCertSign", "cRLSign"])
        }
        try pki.issuing.certificate.verifySignature(issuer: pki.root.certificate)
        try pki.root.certificate.verifySignature(issuer: pki.root.certificate)
    }
}
