/// The parts of a DER CertificationRequest (RFC 2986 section 4) that the gateway reads itself.
/// Reading them here spares the fingerprint and the public key a trip through OpenSSL 3's key
/// encoder and decoder, which cost more than the rest of a poll (measured with perf).
struct CertificationRequestLayout {
    /// One attribute of the CertificationRequestInfo (RFC 2986 section 4.1).
    struct Attribute {
        /// The whole attribute, as received.
        let der: ArraySlice<UInt8>
        /// The DER OBJECT IDENTIFIER of the attribute type, tag and length included.
        let type: ArraySlice<UInt8>
        /// The DER of each value in the SET, in the order received.
        let values: [ArraySlice<UInt8>]
    }

    /// The DER subject Name, as received.
    let subject: ArraySlice<UInt8>
    let subjectPublicKeyInfo: SubjectPublicKeyInfoLayout
    /// The attributes in the order received; each type appears at most once.
    let attributes: [Attribute]
    /// The DER signatureAlgorithm AlgorithmIdentifier, as received.
    let signatureAlgorithm: ArraySlice<UInt8>
    /// Lowercase hex SHA-256 of the CertificationRequestInfo without challengePassword attributes.
    let fingerprint: String

    /// The DER of OID 1.2.840.113549.1.9.7, challengePassword (RFC 2985 section 5.4.1).
    static let challengePasswordOID: [UInt8] = [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x07]
    private static let attributesTag: UInt8 = 0xA0

    /// - Throws: `PKIError.invalidCSR` naming the part that is not DER or not where RFC 2986 puts it.
    init(_ der: [UInt8]) throws {
        do throws(DER.Error) {
            let request = try DER.element(filling: der)
            let parts = try DER.elements(in: der, request.contents)
            guard request.tag == DER.sequenceTag, parts.count == 3, parts[0].tag == DER.sequenceTag else {
                throw DER.Error(offset: 0, "CertificationRequest is not a SEQUENCE of info, algorithm and signature")
            }
            guard parts[1].tag == DER.sequenceTag else {
                throw DER.Error(offset: parts[1].whole.lowerBound, "signatureAlgorithm is not a SEQUENCE")
            }
            guard parts[2].tag == DER.bitStringTag else {
                throw DER.Error(offset: parts[2].whole.lowerBound, "signature is not a BIT STRING")
            }
            let info = parts[0]
            signatureAlgorithm = der[parts[1].whole]

            let fields = try DER.elements(in: der, info.contents)
            guard fields.count >= 3, fields.count <= 4, fields[1].tag == DER.sequenceTag, fields[2].tag == DER.sequenceTag,
                fields.count == 3 || fields[3].tag == Self.attributesTag
            else {
                throw DER.Error(offset: info.whole.lowerBound, "CertificationRequestInfo does not contain version, subject, key and attributes")
            }
            guard DER.isInteger(der, fields[0]) else {
                throw DER.Error(offset: fields[0].whole.lowerBound, "version is not a DER INTEGER")
            }
            subject = der[fields[1].whole]
            subjectPublicKeyInfo = try SubjectPublicKeyInfoLayout(der, fields[2])

            guard fields.count == 4 else {
                attributes = []
                fingerprint = Digest.sha256(Array(der[info.whole])).hexString
                return
            }
            let attributesField = fields[3]
            attributes = try Self.attributes(der, attributesField)
            let remaining = Self.withoutChallengePassword(attributes)
            let contents = Array(der[info.contents.lowerBound..<attributesField.whole.lowerBound]) + DER.encode(tag: Self.attributesTag, remaining)
            fingerprint = Digest.sha256(DER.encode(tag: DER.sequenceTag, contents)).hexString
        } catch {
            throw PKIError.invalidCSR(error)
        }
    }

    /// Returns the attribute of `type` (a DER OID), if the request has one.
    func attribute(ofType type: [UInt8]) -> Attribute? {
        attributes.first { $0.type.elementsEqual(type) }
    }

    /// Reads each attribute as SEQUENCE { type OID, SET OF values }.
    ///
    /// An attribute type may appear once. OpenSSL reads only the first extensionRequest, so with
    /// two of them a reordered CSR would keep its fingerprint, and an approval, while asking for
    /// other names.
    private static func attributes(_ der: [UInt8], _ field: DER.Element) throws(DER.Error) -> [Attribute] {
        var attributes: [Attribute] = []
        var types: Set<ArraySlice<UInt8>> = []
        for attribute in try DER.elements(in: der, field.contents) {
            let parts = attribute.tag == DER.sequenceTag ? try DER.elements(in: der, attribute.contents) : []
            guard parts.count == 2, parts[0].tag == DER.objectIdentifierTag, parts[1].tag == DER.setTag else {
                throw DER.Error(offset: attribute.whole.lowerBound, "attribute is not a SEQUENCE of a type OID and a SET of values")
            }
            let type = der[parts[0].whole]
            guard types.insert(type).inserted else {
                throw DER.Error(offset: attribute.whole.lowerBound, "attribute type \(Self.dottedOID(der[parts[0].contents])) appears twice")
            }
            let values = try DER.elements(in: der, parts[1].contents).map { der[$0.whole] }
            attributes.append(Attribute(der: der[attribute.whole], type: type, values: values))
        }
        return attributes
    }

    /// Returns the attributes without challengePassword, in DER SET OF order (X.690 section
    /// 11.6), so the fingerprint does not depend on the order the client wrote them in.
    private static func withoutChallengePassword(_ attributes: [Attribute]) -> [UInt8] {
        let remaining = attributes.filter { !$0.type.elementsEqual(challengePasswordOID) }.map(\.der)
        return remaining.sorted { $0.lexicographicallyPrecedes($1) }.flatMap { $0 }
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

extension PKIError {
    /// Returns an `invalidCSR` error for a part of a request that is not DER or not where RFC
    /// 2986 puts it.
    static func invalidCSR(_ error: DER.Error) -> PKIError {
        PKIError(.invalidCSR, "CSR is not a DER PKCS#10 CertificationRequest: \(error)")
    }
}
