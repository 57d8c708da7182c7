import COpenSSL
import Foundation
import Testing
import TestSupport

@testable import PKI

/// One structural fault, made by editing the DER of a valid CSR, that d2i_X509_REQ also rejects.
enum CSRMalformation: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case versionNotInteger = "version not INTEGER"
    case attributeWithoutSet = "attribute without SET"
    case attributeWithoutValues = "attribute without values"
    case attributeValueInvalid = "attribute value BOOLEAN of two octets"
    case subjectNotName = "subject not a Name"
    case keyAlgorithmInvalidOID = "key algorithm OID invalid"
    case signatureAlgorithmNotAlgorithmIdentifier = "signatureAlgorithm without OID"
    case signatureNotBitString = "signature not BIT STRING"

    var testDescription: String { rawValue }

    /// The text the `PKIError.invalidCSR` message contains.
    var expectedMessage: String {
        switch self {
        case .versionNotInteger: "version is not a DER INTEGER at byte "
        case .attributeWithoutSet, .attributeWithoutValues: "attribute is not a SEQUENCE of a type OID and a SET of values"
        case .attributeValueInvalid: "attribute is not an X.509 Attribute at byte "
        case .subjectNotName: "subject is not an X.509 Name at byte "
        case .keyAlgorithmInvalidOID: "subjectPublicKeyInfo algorithm is not an AlgorithmIdentifier"
        case .signatureAlgorithmNotAlgorithmIdentifier: "signatureAlgorithm is not an AlgorithmIdentifier"
        case .signatureNotBitString: "signature is not a BIT STRING"
        }
    }

    /// SEQUENCE { INTEGER 1 }: DER, but neither a Name nor an AlgorithmIdentifier.
    private static let sequenceOfInteger: [UInt8] = [0x30, 0x03, 0x02, 0x01, 0x01]

    func apply(to der: [UInt8]) throws -> [UInt8] {
        var parts = try RequestParts(der)
        let version = try DER.elements(in: parts.leadingFields, 0..<parts.leadingFields.count)[0]
        let signature = try DER.elements(in: parts.signatureParts, 0..<parts.signatureParts.count)
        switch self {
        case .versionNotInteger:
            parts.leadingFields[0] = 0x04
        case .attributeWithoutSet, .attributeWithoutValues:
            let attribute = parts.attributes[0]
            let fields = try DER.elements(in: attribute, try DER.element(filling: attribute).contents)
            let values = self == .attributeWithoutSet ? DER.encode(tag: DER.sequenceTag, Array(attribute[fields[1].contents])) : []
            parts.attributes[0] = DER.encode(tag: DER.sequenceTag, Array(attribute[fields[0].whole]) + values)
        case .attributeValueInvalid:
            let challengePasswordOID: [UInt8] = [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x07]
            let twoOctetBoolean: [UInt8] = [0x01, 0x02, 0x00, 0x00]
            parts.attributes[0] = DER.encode(tag: DER.sequenceTag, challengePasswordOID + DER.encode(tag: DER.setTag, twoOctetBoolean))
        case .subjectNotName:
            parts.leadingFields = Array(parts.leadingFields[version.whole]) + Self.sequenceOfInteger
        case .keyAlgorithmInvalidOID:
            // An OID whose only octet has its continuation bit set.
            parts = try parts.withKeyAlgorithm([0x30, 0x03, 0x06, 0x01, 0x80])
        case .signatureAlgorithmNotAlgorithmIdentifier:
            parts.signatureParts = Self.sequenceOfInteger + parts.signatureParts[signature[1].whole]
        case .signatureNotBitString:
            parts.signatureParts[signature[1].whole.lowerBound] = 0x04
        }
        return DER.encode(tag: DER.sequenceTag, parts.info + parts.signatureParts)
    }
}

@Suite("CSR structure")
struct CSRStructureTests {
    @Test("malformed request is rejected", arguments: CSRMalformation.allCases)
    func malformed(malformation: CSRMalformation) throws {
        let csr = try TestPKI.request(names: [.dns("dev1.example")])
        let edited = try malformation.apply(to: csr.derEncoded)

        let error = try #require(throws: PKIError.self) { try CertificateSigningRequest(derEncoded: edited) }

        #expect(error.code == .invalidCSR)
        #expect(error.message.contains(malformation.expectedMessage), "\(error.message)")
        #expect(!Self.opensslParses(edited))
    }

    @Test("Microsoft extensionRequest yields SANs")
    func microsoftExtensionRequest() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let keyPath = directory.file("key.pem")
        let key = try PrivateKey.generate(.rsa(bits: 2048))
        try key.write(toPath: keyPath)
        let names: [GeneralName] = [.dns("dev1.example"), .ipAddress("192.0.2.1")]
        let original = try CertificateSigningRequest.create(
            subject: DistinguishedName([("CN", "dev1")]), subjectAlternativeNames: names, signingKey: key)

        var parts = try RequestParts(original.derEncoded)
        parts.attributes = [try Self.microsoftAttribute(from: parts.attributes[0])]
        let der = try parts.signed(withKeyAt: keyPath, in: directory)
        let csr = try CertificateSigningRequest(derEncoded: der)

        try csr.verifySignature()
        #expect(csr.subjectAlternativeNames == names)
        #expect(csr.requestedExtensions.map(\.oid) == ["2.5.29.17"])
        let path = directory.file("request.der")
        try Data(der).write(to: URL(fileURLWithPath: path))
        let text = try ProcessRunner.check("openssl", ["req", "-inform", "DER", "-in", path, "-noout", "-text"]).output
        #expect(text.contains("DNS:dev1.example, IP Address:192.0.2.1"), "\(text)")
    }

    @Test("standard extensionRequest wins over Microsoft's")
    func standardExtensionRequestFirst() throws {
        let standard = try TestPKI.request(names: [.dns("standard.example")])
        let other = try TestPKI.request(names: [.dns("microsoft.example")])
        var parts = try RequestParts(standard.derEncoded)
        parts.attributes.append(try Self.microsoftAttribute(from: try RequestParts(other.derEncoded).attributes[0]))

        let csr = try CertificateSigningRequest(derEncoded: try parts.reassembled(attributes: parts.attributes))

        #expect(csr.subjectAlternativeNames == [.dns("standard.example")])
    }

    @Test("undecodable key fails only where used", arguments: ["point off curve", "unknown algorithm"])
    func undecodableKey(edit: String) throws {
        let csr = try TestPKI.request()
        var parts = try RequestParts(csr.derEncoded)
        if edit == "point off curve" {
            parts.subjectPublicKeyInfo[parts.subjectPublicKeyInfo.count - 1] ^= 0x01
        } else {
            // OID 1.2.3.4, which no provider decodes.
            parts = try parts.withKeyAlgorithm([0x30, 0x05, 0x06, 0x03, 0x2A, 0x03, 0x04])
        }
        let der = try parts.reassembled(attributes: parts.attributes)
        #expect(Self.opensslParses(der))

        let edited = try CertificateSigningRequest(derEncoded: der)

        let keyError = try #require(throws: PKIError.self) { try edited.publicKey }
        #expect(keyError.code == .invalidPublicKey)
        #expect(keyError.message == "CSR public key cannot be decoded")
        let verifyError = try #require(throws: PKIError.self) { try edited.verifySignature() }
        #expect(verifyError.code == .invalidPublicKey)
        #expect(edited.subject.commonName == "dev1")
    }

    /// Moves the values of an extensionRequest attribute under OID 1.3.6.1.4.1.311.2.1.14.
    private static func microsoftAttribute(from attribute: [UInt8]) throws -> [UInt8] {
        let fields = try DER.elements(in: attribute, try DER.element(filling: attribute).contents)
        let microsoftOID: [UInt8] = [0x06, 0x0A, 0x2B, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x01, 0x0E]
        return DER.encode(tag: DER.sequenceTag, microsoftOID + attribute[fields[1].whole])
    }

    /// Returns whether d2i_X509_REQ, which the gateway no longer uses, reads all of `der`.
    private static func opensslParses(_ der: [UInt8]) -> Bool {
        der.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            guard let request = d2i_X509_REQ(nil, &cursor, buffer.count) else {
                ERR_clear_error()
                return false
            }
            X509_REQ_free(request)
            return cursor == buffer.baseAddress.map { $0 + buffer.count }
        }
    }
}
