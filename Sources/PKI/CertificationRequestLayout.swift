/// The offsets of the parts of a DER CertificationRequest (RFC 2986 section 4) that the gateway
/// reads itself. Reading them here spares the fingerprint and the public key a trip through
/// OpenSSL 3's key encoder and decoder, which cost more than the rest of a poll (measured with perf).
struct CertificationRequestLayout {
    /// The DER SubjectPublicKeyInfo, as received.
    let subjectPublicKeyInfo: ArraySlice<UInt8>
    /// Whether the key's AlgorithmIdentifier has the one form that RFC 3279 and RFC 8410 allow
    /// for its algorithm, so the bytes can go into a certificate as they are. Those forms are
    /// rsaEncryption with NULL, id-ecPublicKey with a named curve, and Ed25519 or Ed448 alone.
    let keyAlgorithmIsStandardForm: Bool
    /// Lowercase hex SHA-256 of the CertificationRequestInfo without challengePassword attributes.
    let fingerprint: String

    /// The DER of OID 1.2.840.113549.1.9.7, challengePassword (RFC 2985 section 5.4.1).
    private static let challengePasswordOID: [UInt8] = [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x07]
    private static let attributesTag: UInt8 = 0xA0
    private static let rsaEncryptionOID: [UInt8] = [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01]
    private static let ecPublicKeyOID: [UInt8] = [0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01]
    private static let ed25519OID: [UInt8] = [0x06, 0x03, 0x2B, 0x65, 0x70]
    private static let ed448OID: [UInt8] = [0x06, 0x03, 0x2B, 0x65, 0x71]
    private static let nullValue: [UInt8] = [0x05, 0x00]

    /// - Throws: `PKIError.invalidCSR` naming the part that is not DER or not where RFC 2986 puts it.
    init(_ der: [UInt8]) throws {
        do throws(DER.Error) {
            let request = try DER.element(filling: der)
            let parts = try DER.elements(in: der, request.contents)
            guard request.tag == DER.sequenceTag, parts.count == 3, parts[0].tag == DER.sequenceTag else {
                throw DER.Error(offset: 0, "CertificationRequest is not a SEQUENCE of info, algorithm and signature")
            }
            let info = parts[0]

            let fields = try DER.elements(in: der, info.contents)
            guard fields.count >= 3, fields.count <= 4, fields[1].tag == DER.sequenceTag, fields[2].tag == DER.sequenceTag,
                fields.count == 3 || fields[3].tag == Self.attributesTag
            else {
                throw DER.Error(offset: info.whole.lowerBound, "CertificationRequestInfo does not contain version, subject, key and attributes")
            }
            subjectPublicKeyInfo = der[fields[2].whole]
            keyAlgorithmIsStandardForm = try Self.isStandardForm(der, subjectPublicKeyInfo: fields[2])

            guard fields.count == 4 else {
                fingerprint = Digest.sha256(Array(der[info.whole])).hexString
                return
            }
            let attributes = fields[3]
            let remaining = try Self.attributesWithoutChallengePassword(der, attributes)
            let contents = Array(der[info.contents.lowerBound..<attributes.whole.lowerBound]) + DER.encode(tag: Self.attributesTag, remaining)
            fingerprint = Digest.sha256(DER.encode(tag: DER.sequenceTag, contents)).hexString
        } catch {
            throw PKIError(.invalidCSR, "CSR is not a DER PKCS#10 CertificationRequest: \(error)")
        }
    }

    /// Returns the attributes without challengePassword, in DER SET OF order (X.690 section
    /// 11.6), so the fingerprint does not depend on the order the client wrote them in.
    ///
    /// An attribute type may appear once. OpenSSL reads only the first extensionRequest, so with
    /// two of them a reordered CSR would keep its fingerprint, and an approval, while asking for
    /// other names.
    private static func attributesWithoutChallengePassword(_ der: [UInt8], _ attributes: DER.Element) throws(DER.Error) -> [UInt8] {
        var remaining: [ArraySlice<UInt8>] = []
        var types: Set<ArraySlice<UInt8>> = []
        for attribute in try DER.elements(in: der, attributes.contents) {
            let type = try DER.elements(in: der, attribute.contents).first
            guard attribute.tag == DER.sequenceTag, let type, type.tag == DER.objectIdentifierTag else {
                throw DER.Error(offset: attribute.whole.lowerBound, "attribute is not a SEQUENCE starting with its type OID")
            }
            guard types.insert(der[type.whole]).inserted else {
                throw DER.Error(offset: attribute.whole.lowerBound, "attribute type \(Self.dottedOID(der[type.contents])) appears twice")
            }
            if !der[type.whole].elementsEqual(challengePasswordOID) {
                remaining.append(der[attribute.whole])
            }
        }
        return remaining.sorted { $0.lexicographicallyPrecedes($1) }.flatMap { $0 }
    }

    private static func isStandardForm(_ der: [UInt8], subjectPublicKeyInfo: DER.Element) throws(DER.Error) -> Bool {
        guard let algorithm = try DER.elements(in: der, subjectPublicKeyInfo.contents).first, algorithm.tag == DER.sequenceTag else {
            throw DER.Error(offset: subjectPublicKeyInfo.whole.lowerBound, "SubjectPublicKeyInfo does not start with an AlgorithmIdentifier")
        }
        let parts = try DER.elements(in: der, algorithm.contents)
        guard let oid = parts.first.map({ der[$0.whole] }) else {
            return false
        }
        let parameters = parts.dropFirst()
        if oid.elementsEqual(rsaEncryptionOID) {
            return parameters.count == 1 && der[parameters[parameters.startIndex].whole].elementsEqual(nullValue)
        }
        if oid.elementsEqual(ecPublicKeyOID) {
            return parameters.count == 1 && parameters[parameters.startIndex].tag == DER.objectIdentifierTag
        }
        return (oid.elementsEqual(ed25519OID) || oid.elementsEqual(ed448OID)) && parameters.isEmpty
    }

    /// Formats OID contents in dotted form, for error messages.
    private static func dottedOID(_ contents: ArraySlice<UInt8>) -> String {
        var arcs: [String] = []
        var value = 0
        for byte in contents {
            value = value << 7 | Int(byte & 0x7F)
            guard byte & 0x80 == 0 else {
                continue
            }
            if arcs.isEmpty {
                let first = min(value / 40, 2)
                arcs += [String(first), String(value - first * 40)]
            } else {
                arcs.append(String(value))
            }
            value = 0
        }
        return arcs.joined(separator: ".")
    }
}
