import Foundation
import Testing
import TestSupport

@testable import PKI

/// CSRs that OpenSSL parses but that are not in the one form the fingerprint and the copied key
/// rely on. Each is made by editing the DER of a real CSR.
@Suite("CSR standard form")
struct CSRStandardFormTests {
    @Test("repeated attribute type is rejected")
    func repeatedAttribute() throws {
        let csr = try CertificateSigningRequest.create(
            subject: DistinguishedName([("CN", "dev1")]), subjectAlternativeNames: [.dns("a.example")],
            signingKey: PrivateKey.generate(.ecdsa(.p256)))
        let parts = try RequestParts(csr.derEncoded)
        let extensionRequest = try #require(parts.attributes.last)

        let doubled = try parts.reassembled(attributes: parts.attributes + [extensionRequest])

        let error = try #require(throws: PKIError.self) { try CertificateSigningRequest(derEncoded: doubled) }
        #expect(error.code == .invalidCSR)
        #expect(error.message.contains("attribute type 1.2.840.113549.1.9.14 appears twice"), "\(error.message)")
    }

    @Test("length not in shortest form is rejected")
    func longLength() throws {
        let der = try CertificateSigningRequest(pemEncoded: PKITestFixtures.csrText("p256.pem")).derEncoded
        let outer = try DER.element(filling: der)
        // The same outer SEQUENCE with its length in three octets, the first of them zero.
        let padded = [0x30, 0x83, 0x00] + DER.lengthOctets(outer.contents.count).suffix(2) + der[outer.contents]

        let error = try #require(throws: PKIError.self) { try CertificateSigningRequest(derEncoded: padded) }
        #expect(error.code == .invalidCSR)
        #expect(error.message.contains("is not in the shortest form at byte 0"), "\(error.message)")
    }

    @Test("RSA key without NULL parameters is certified in standard form")
    func rsaWithoutNull() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let key = try PrivateKey.generate(.rsa(bits: 2048))
        let keyPath = directory.file("key.pem")
        try key.write(toPath: keyPath)
        let original = try CertificateSigningRequest.create(subject: DistinguishedName([("CN", "dev1")]), signingKey: key)
        let standardAlgorithm = try RequestParts(original.derEncoded).keyAlgorithm
        #expect(standardAlgorithm.suffix(2).elementsEqual([0x05, 0x00]))

        // rsaEncryption without its NULL, signed again so the proof of possession holds.
        let edited = try RequestParts(original.derEncoded)
            .withKeyAlgorithm(DER.encode(tag: DER.sequenceTag, Array(standardAlgorithm.dropFirst(2).dropLast(2))))
            .signed(withKeyAt: keyPath, in: directory)
        let csr = try CertificateSigningRequest(derEncoded: edited)
        #expect(!csr.keyAlgorithmIsStandardForm)

        let pki = try TestPKI()
        let certificate = try pki.issuing.issue(csr: csr, profile: .deviceClient, now: TestPKI.now)

        #expect(try CertificateParts(certificate.derEncoded).keyAlgorithm.elementsEqual(standardAlgorithm))
        #expect(certificate.matchesPublicKey(of: csr))
        #expect(try certificate.publicKey == key.publicKey)
    }
}

/// The key algorithm of a DER certificate.
private struct CertificateParts {
    let keyAlgorithm: [UInt8]

    init(_ der: [UInt8]) throws {
        let certificate = try DER.element(filling: der)
        let tbs = try DER.elements(in: der, certificate.contents)[0]
        // TBSCertificate: [0] version, serialNumber, signature, issuer, validity, subject, key.
        let key = try DER.elements(in: der, tbs.contents)[6]
        keyAlgorithm = Array(der[try DER.elements(in: der, key.contents)[0].whole])
    }
}
