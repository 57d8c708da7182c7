/// The parts of a DER SubjectPublicKeyInfo (RFC 5280 section 4.1.2.7), found without decoding
/// the key.
struct SubjectPublicKeyInfoLayout {
    /// A key algorithm whose AlgorithmIdentifier has the one form that RFC 3279 and RFC 8410 allow.
    enum StandardForm: Equatable {
        /// rsaEncryption with NULL parameters.
        case rsa
        /// id-ecPublicKey with a namedCurve parameter.
        case ec
        /// id-Ed25519 without parameters.
        case ed25519
        /// id-Ed448 without parameters.
        case ed448
    }

    /// The whole SubjectPublicKeyInfo, as received.
    let der: ArraySlice<UInt8>
    /// The AlgorithmIdentifier, as received.
    let algorithm: ArraySlice<UInt8>
    /// The first contents octet of the subjectPublicKey BIT STRING: how many bits of its last
    /// octet are padding.
    let unusedBits: UInt8
    /// The subjectPublicKey BIT STRING contents after the unused-bits octet.
    let publicKey: ArraySlice<UInt8>
    /// The standard form of the algorithm, or nil for any other algorithm or form. Only keys in
    /// standard form go into a certificate as received.
    let standardForm: StandardForm?

    private static let rsaEncryptionOID: [UInt8] = [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01]
    private static let ecPublicKeyOID: [UInt8] = [0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01]
    private static let ed25519OID: [UInt8] = [0x06, 0x03, 0x2B, 0x65, 0x70]
    private static let ed448OID: [UInt8] = [0x06, 0x03, 0x2B, 0x65, 0x71]
    private static let nullValue: [UInt8] = [0x05, 0x00]

    /// Reads `element` of `der` as SEQUENCE { AlgorithmIdentifier, BIT STRING }.
    ///
    /// - Throws: `DER.Error` when a part is missing, or the BIT STRING is empty or declares more
    ///   than 7 unused bits, as OpenSSL also rejects.
    init(_ der: [UInt8], _ element: DER.Element) throws(DER.Error) {
        let parts = try DER.elements(in: der, element.contents)
        guard parts.count == 2, parts[0].tag == DER.sequenceTag, parts[1].tag == DER.bitStringTag else {
            throw DER.Error(
                offset: element.whole.lowerBound, "SubjectPublicKeyInfo is not a SEQUENCE of an AlgorithmIdentifier and a BIT STRING")
        }
        let algorithmParts = try DER.elements(in: der, parts[0].contents)
        guard algorithmParts.count == 1 || algorithmParts.count == 2, algorithmParts[0].tag == DER.objectIdentifierTag else {
            throw DER.Error(
                offset: parts[0].whole.lowerBound, "key AlgorithmIdentifier is not a SEQUENCE of an OID and optional parameters")
        }
        let bits = der[parts[1].contents]
        guard let unusedBits = bits.first, unusedBits <= 7 else {
            throw DER.Error(offset: parts[1].whole.lowerBound, "subjectPublicKey BIT STRING is empty or has more than 7 unused bits")
        }

        self.der = der[element.whole]
        self.algorithm = der[parts[0].whole]
        self.unusedBits = unusedBits
        self.publicKey = bits.dropFirst()
        self.standardForm = Self.standardForm(
            oid: der[algorithmParts[0].whole], parameters: algorithmParts.dropFirst().map { (tag: $0.tag, der: der[$0.whole]) })
    }

    private static func standardForm(oid: ArraySlice<UInt8>, parameters: [(tag: UInt8, der: ArraySlice<UInt8>)]) -> StandardForm? {
        if oid.elementsEqual(rsaEncryptionOID) {
            return parameters.count == 1 && parameters[0].der.elementsEqual(nullValue) ? .rsa : nil
        }
        if oid.elementsEqual(ecPublicKeyOID) {
            return parameters.count == 1 && parameters[0].tag == DER.objectIdentifierTag ? .ec : nil
        }
        guard parameters.isEmpty else {
            return nil
        }
        if oid.elementsEqual(ed25519OID) {
            return .ed25519
        }
        return oid.elementsEqual(ed448OID) ? .ed448 : nil
    }
}
