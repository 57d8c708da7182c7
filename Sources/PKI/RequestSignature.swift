import COpenSSL

/// The signed parts of a CertificationRequest as OpenSSL reads them: the CertificationRequestInfo
/// kept as received, the signatureAlgorithm and the signature (RFC 2986 section 4.2).
final class RequestSignature {
    /// The ASN1_SEQUENCE_ANY of the whole request, which owns `info` and `signature`.
    private let parts: OpaquePointer
    private let info: UnsafePointer<ASN1_TYPE>
    private let signature: UnsafePointer<ASN1_BIT_STRING>
    private let algorithm: UnsafeMutablePointer<X509_ALGOR>

    /// Reads the outer SEQUENCE of a CertificationRequest with OpenSSL, each element as ANY.
    /// Returns nil when `der` is not a SEQUENCE, with OpenSSL's ASN.1 errors queued.
    static func readParts(_ der: [UInt8]) -> OpaquePointer? {
        decodeDER(der, { d2i_ASN1_SEQUENCE_ANY(nil, $0, $1) }, free: { COpenSSL_sk_ASN1_TYPE_pop_free($0) })
    }

    /// Takes ownership of `parts` from `readParts`, also when it throws.
    ///
    /// - Parameter signatureAlgorithm: the DER signatureAlgorithm inside `parts`.
    /// - Throws: `PKIError.invalidCSR` when the parts are not a SEQUENCE, an AlgorithmIdentifier
    ///   and a BIT STRING.
    init(taking parts: OpaquePointer, signatureAlgorithm: ArraySlice<UInt8>) throws {
        guard let info = COpenSSL_sk_ASN1_TYPE_value(parts, 0), ASN1_TYPE_get(info) == V_ASN1_SEQUENCE,
            let value = COpenSSL_sk_ASN1_TYPE_value(parts, 2), let signature = COpenSSL_ASN1_TYPE_bit_string(value)
        else {
            COpenSSL_sk_ASN1_TYPE_pop_free(parts)
            throw PKIError.invalidCSR(DER.Error(offset: 0, "CertificationRequest is not a SEQUENCE of info, algorithm and signature"))
        }
        let algorithm: UnsafeMutablePointer<X509_ALGOR>
        do {
            algorithm = try decodeAlgorithmIdentifier(signatureAlgorithm, part: "signatureAlgorithm")
        } catch {
            COpenSSL_sk_ASN1_TYPE_pop_free(parts)
            throw error
        }
        self.parts = parts
        self.info = UnsafePointer(info)
        self.signature = signature
        self.algorithm = algorithm
    }

    deinit {
        X509_ALGOR_free(algorithm)
        COpenSSL_sk_ASN1_TYPE_pop_free(parts)
    }

    /// Checks the signature with `pkey` as X509_REQ_verify does, for every algorithm it supports:
    /// RSA PKCS#1 v1.5 and PSS with its parameters, ECDSA, Ed25519 and Ed448.
    func verify(with pkey: OpaquePointer) -> Bool {
        // i2d of an ASN1_ANY that contains a SEQUENCE writes the stored bytes unchanged, so the
        // signature is checked over the CertificationRequestInfo exactly as received.
        ASN1_item_verify_ex(ASN1_ANY_it(), algorithm, signature, info, nil, pkey, nil, nil) == 1
    }
}

/// Parses an AlgorithmIdentifier of a CSR, which the caller then owns.
///
/// - Throws: `PKIError.invalidCSR` naming `part` and its offset in the request.
func decodeAlgorithmIdentifier(_ der: ArraySlice<UInt8>, part: String) throws -> UnsafeMutablePointer<X509_ALGOR> {
    OpenSSLErrorQueue.clear()
    guard let algorithm = decodeDER(der, { d2i_X509_ALGOR(nil, $0, $1) }, free: { X509_ALGOR_free($0) }) else {
        throw PKIError.invalidCSR(DER.Error(offset: der.startIndex, "\(part) is not an AlgorithmIdentifier"))
    }
    return algorithm
}
