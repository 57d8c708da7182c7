import PKI
import Testing
import TestSupport

@Suite("CertificateSigningRequest EST body")
struct ESTBodyTests {
    let reference: CertificateSigningRequest

    init() throws {
        reference = try CertificateSigningRequest(pemEncoded: PKITestFixtures.csrText("p256.pem"))
    }

    @Test("body forms decode to same request", arguments: ["p256-crlf64.b64", "p256-crlf76.b64", "p256-with-text.pem", "p256.pem"])
    func bodyForms(fixture: String) throws {
        let csr = try CertificateSigningRequest.decodeESTBody(PKITestFixtures.csrBytes(fixture))
        #expect(csr.derEncoded == reference.derEncoded)
    }

    @Test("single line and spaced base64 decode")
    func unbrokenBase64() throws {
        let oneLine = Base64.encode(reference.derEncoded, lineLength: nil)
        #expect(try CertificateSigningRequest.decodeESTBody(Array(oneLine.utf8)).derEncoded == reference.derEncoded)
        let spaced = Base64.encode(reference.derEncoded, lineLength: 10).replacingNewlines(with: "  \t ")
        #expect(try CertificateSigningRequest.decodeESTBody(Array(spaced.utf8)).derEncoded == reference.derEncoded)
    }

    @Test("binary body fails base64 decoding")
    func binaryBody() throws {
        let error = try #require(throws: PKIError.self) {
            try CertificateSigningRequest.decodeESTBody(PKITestFixtures.csrBytes("garbage.bin"))
        }
        #expect(error.code == .invalidBase64)
        #expect(error.message.hasPrefix("CSR body is not valid base64: base64 decoding failed at byte "))
    }

    @Test("invalid character offset is named")
    func invalidCharacter() throws {
        var body = Array(Base64.encode(reference.derEncoded).utf8)
        body[117] = UInt8(ascii: "*")
        let error = try #require(throws: PKIError.self) { try CertificateSigningRequest.decodeESTBody(body) }
        #expect(error.message == "CSR body is not valid base64: base64 decoding failed at byte 117")
    }

    @Test("base64 of non-CSR fails DER parsing")
    func notACSR() throws {
        let body = Array(Base64.encode(try PKITestFixtures.csrBytes("truncated.der")).utf8)
        let error = try #require(throws: PKIError.self) { try CertificateSigningRequest.decodeESTBody(body) }
        #expect(error.code == .invalidCSR)
        #expect(error.message == "CSR body decodes from base64 but is not a DER PKCS#10 request")
    }

    @Test("PEM armor of other type is rejected")
    func wrongArmor() throws {
        let body = Array(PEM.encode(label: "CERTIFICATE", der: reference.derEncoded).utf8)
        let error = try #require(throws: PKIError.self) { try CertificateSigningRequest.decodeESTBody(body) }
        #expect(error.code == .invalidPEM)
        #expect(error.message == "CSR body has PEM armor but no CERTIFICATE REQUEST block")
    }
}

extension String {
    fileprivate func replacingNewlines(with separator: String) -> String {
        split(separator: "\n").joined(separator: separator)
    }
}
