import COpenSSL

/// The EST /csrattrs response body (RFC 7030 section 4.5.2): a DER SEQUENCE of attribute OIDs
/// telling clients what to put into their CSR.
public enum CSRAttributes {
    /// Encodes `oids`, given as dotted OIDs ("1.2.840.113549.1.9.7") or OpenSSL short names
    /// ("challengePassword", "serialNumber", "ecdsa-with-SHA384").
    ///
    /// - Throws: `PKIError.invalidOID` naming the first value that is neither.
    public static func encode(oids: [String]) throws -> [UInt8] {
        var content: [UInt8] = []
        for text in oids {
            OpenSSLErrorQueue.clear()
            guard let object = OBJ_txt2obj(text, 0) else {
                throw PKIError(.invalidOID, "CSR attribute \"\(text)\" is not a dotted OID or a known OID name")
            }
            defer { ASN1_OBJECT_free(object) }
            content += try encodeDER("OID \(text)") { i2d_ASN1_OBJECT(object, $0) }
        }
        return DER.encode(tag: DER.sequenceTag, content)
    }
}
