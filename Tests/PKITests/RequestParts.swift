import Foundation
import TestSupport

@testable import PKI

/// The CertificationRequestInfo of a DER CSR split into its fields, for tests that edit it.
struct RequestParts {
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
