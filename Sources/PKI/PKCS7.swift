import COpenSSL

/// PKCS#7 "certs-only" messages (RFC 5652 SignedData with no signers and no content), the
/// format of EST /cacerts and enrollment responses (RFC 7030 section 4.1.3).
public enum PKCS7 {
    /// Encodes a degenerate SignedData holding `certificates` in the given order.
    public static func certsOnly(_ certificates: [Certificate]) throws -> [UInt8] {
        OpenSSLErrorQueue.clear()
        guard let message = PKCS7_new() else {
            throw PKIError(.internalError, "allocating a PKCS7 failed")
        }
        defer { PKCS7_free(message) }

        guard PKCS7_set_type(message, NID_pkcs7_signed) == 1,
            PKCS7_content_new(message, NID_pkcs7_data) == 1,
            COpenSSL_PKCS7_set_detached(message) == 1
        else {
            throw PKIError(.internalError, "setting up the PKCS#7 SignedData failed")
        }
        for certificate in certificates {
            guard PKCS7_add_certificate(message, certificate.certificate) == 1 else {
                throw PKIError(.internalError, "adding certificate \(certificate.subject) to PKCS#7 failed")
            }
        }
        return try encodeDER("PKCS#7 certs-only message") { i2d_PKCS7(message, $0) }
    }

    /// Decodes the certificates of a certs-only SignedData, in order.
    ///
    /// - Throws: `PKIError.invalidPKCS7` when the DER is not PKCS#7 SignedData or contains signers.
    public static func certificates(fromCertsOnly der: [UInt8]) throws -> [Certificate] {
        OpenSSLErrorQueue.clear()
        let parsed = decodeDER(
            der, { d2i_PKCS7(nil, $0, $1).map(OpaquePointer.init) },
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
            try COpenSSL_sk_X509_value(stack, index).map { try Certificate(sharing: $0) }
        }
    }
}
