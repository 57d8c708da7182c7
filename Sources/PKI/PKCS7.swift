import COpenSSL

/// PKCS#7 "certs-only" messages (RFC 5652 SignedData with no signers and no content), the
/// format of EST /cacerts and enrollment responses (RFC 7030 section 4.1.3).
public enum PKCS7 {
    /// Encodes a degenerate SignedData holding `certificates` in the given order.
    public static func certsOnly(_ certificates: [Certificate]) -> [UInt8] {
        certsOnly(derEncoded: certificates.map(\.derEncoded))
    }

    /// Encodes a degenerate SignedData around certificates given as DER, which are copied as
    /// they are: no certificate is parsed, so none of their keys goes through OpenSSL's decoder.
    public static func certsOnly(derEncoded certificates: [[UInt8]]) -> [UInt8] {
        // SignedData (RFC 5652 section 5.1): version 1, no digest algorithms, id-data without
        // content, the certificates as [0] IMPLICIT (left out when there are none), no signers.
        let signedData = DER.encode(
            tag: DER.sequenceTag,
            [0x02, 0x01, 0x01]
                + DER.encode(tag: DER.setTag, [])
                + DER.encode(tag: DER.sequenceTag, dataOID)
                + (certificates.isEmpty ? [] : DER.encode(tag: 0xA0, certificates.flatMap { $0 }))
                + DER.encode(tag: DER.setTag, []))
        return DER.encode(tag: DER.sequenceTag, signedDataOID + DER.encode(tag: 0xA0, signedData))
    }

    /// 1.2.840.113549.1.7.2 and 1.2.840.113549.1.7.1 (RFC 5652 sections 5.1 and 4).
    private static let signedDataOID: [UInt8] = [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02]
    private static let dataOID: [UInt8] = [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01]

    /// Decodes the certificates of a certs-only SignedData, in order. Their keys are decoded
    /// only when used, so that reading an EST response costs no key decoding.
    ///
    /// - Throws: `PKIError.invalidPKCS7` when the DER is not PKCS#7 SignedData or contains signers.
    public static func certificates(fromCertsOnly der: [UInt8]) throws -> [Certificate] {
        OpenSSLErrorQueue.clear()
        let keyless = KeylessDecoding.shared.context
        let parsed = decodeDER(
            der, { COpenSSL_d2i_PKCS7_in_context($0, $1, keyless).map(OpaquePointer.init) },
            free: { PKCS7_free(UnsafeMutablePointer<COpenSSL.PKCS7>($0)) })
        guard let parsed else {
            throw PKIError(.invalidPKCS7, "message is not DER PKCS#7 (\(der.count) bytes)")
        }
        let message = UnsafeMutablePointer<COpenSSL.PKCS7>(parsed)
        defer { PKCS7_free(message) }

        let signers = COpenSSL_PKCS7_signer_count(message)
        guard signers >= 0 else {
            throw PKIError(.invalidPKCS7, "PKCS#7 message is not SignedData")
        }
        guard signers == 0 else {
            throw PKIError(.invalidPKCS7, "PKCS#7 SignedData has \(signers) signers; a certs-only message has none")
        }
        guard let stack = COpenSSL_PKCS7_signed_certificates(message) else {
            return []
        }
        return try (0..<COpenSSL_sk_X509_num(stack)).compactMap { index in
            try COpenSSL_sk_X509_value(stack, index).map { try Certificate(sharing: $0, keyDecoded: keyless == nil) }
        }
    }
}
