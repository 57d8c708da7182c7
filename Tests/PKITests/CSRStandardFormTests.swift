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

/// The CertificationRequestInfo of a DER CSR split into its fields, for tests that edit it.
private struct RequestParts {
    var leadingFields: [UInt8]
    var subjectPublicKeyInfo: [UInt8]
    var attributes: [[UInt8]]
    var signatureParts: [UInt8]

    init(_ der: [UInt8]) throws {
        let request = try DER.element(filling: der)
        let parts = try DER.elements(in: der, request.contents)
        let fields = try DER.elements(in: der, parts[0].contents)
        leadingFields = Array(der[fields[0].whole.lowerBound..<fields[2].whole.lowerBound])
        subjectPublicKeyInfo = Array(der[fields[2].whole])
        attributes = try fields.count > 3 ? DER.elements(in: der, fields[3].contents).map { Array(der[$0.whole]) } : []
        signatureParts = Array(der[parts[1].whole.lowerBound..<parts[2].whole.upperBound])
    }

    var keyAlgorithm: [UInt8] {
        get throws {
            let algorithm = try DER.elements(in: subjectPublicKeyInfo, try DER.element(filling: subjectPublicKeyInfo).contents)[0]
            return Array(subjectPublicKeyInfo[algorithm.whole])
        }
    }

    var info: [UInt8] {
        DER.encode(tag: DER.sequenceTag, leadingFields + subjectPublicKeyInfo + DER.encode(tag: 0xA0, attributes.flatMap { $0 }))
    }

    func reassembled(attributes: [[UInt8]]) throws -> [UInt8] {
        var copy = self
        copy.attributes = attributes
        return DER.encode(tag: DER.sequenceTag, copy.info + signatureParts)
    }

    func withKeyAlgorithm(_ algorithm: [UInt8]) throws -> RequestParts {
        let outer = try DER.element(filling: subjectPublicKeyInfo)
        let key = try DER.elements(in: subjectPublicKeyInfo, outer.contents)[1]
        var copy = self
        copy.subjectPublicKeyInfo = DER.encode(tag: DER.sequenceTag, algorithm + subjectPublicKeyInfo[key.whole])
        return copy
    }

    /// Signs the info with `openssl dgst` and sha256WithRSAEncryption.
    func signed(withKeyAt keyPath: String, in directory: TemporaryDirectory) throws -> [UInt8] {
        let infoPath = directory.file("info.der")
        try Data(info).write(to: URL(fileURLWithPath: infoPath))
        let signature = try ProcessRunner.check("openssl", ["dgst", "-sha256", "-sign", keyPath, "-binary", infoPath]).standardOutput
        let sha256WithRSA: [UInt8] = [0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B, 0x05, 0x00]
        return DER.encode(tag: DER.sequenceTag, info + sha256WithRSA + DER.encode(tag: 0x03, [0x00] + signature))
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
