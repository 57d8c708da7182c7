import COpenSSL

extension SubjectPublicKeyInfoLayout {
    /// Decodes the key into a new EVP_PKEY that the caller owns.
    ///
    /// A key in standard form is built from its parts, because d2i_PUBKEY in OpenSSL 3.0 runs
    /// OSSL_DECODER, which tries every provider's decoder: 8.5% of the gateway's CPU in perf on an
    /// enroll load. Other forms, and keys whose parts OpenSSL rejects, go through d2i_PUBKEY,
    /// which then accepts or rejects them as it did inside d2i_X509_REQ.
    ///
    /// - Parameter algorithm: `algorithm` as d2i_X509_ALGOR read it.
    /// - Throws: `PKIError.invalidPublicKey` when OpenSSL cannot decode the key.
    func decodeKey(algorithm: UnsafePointer<X509_ALGOR>) throws(PKIError) -> OpaquePointer {
        OpenSSLErrorQueue.clear()
        if let pkey = buildFromParts(algorithm: algorithm) {
            return pkey
        }

        // The errors of a failed build are dropped, so the PKIError carries those of d2i_PUBKEY.
        OpenSSLErrorQueue.clear()
        guard let pkey = decodeDER(der, { d2i_PUBKEY(nil, $0, $1) }, free: { EVP_PKEY_free($0) }) else {
            throw PKIError(.invalidPublicKey, "CSR public key cannot be decoded")
        }
        return pkey
    }

    /// Builds a key in standard form from its parts without OSSL_DECODER. Returns nil for other
    /// forms, and when OpenSSL rejects the parts.
    func buildFromParts(algorithm: UnsafePointer<X509_ALGOR>) -> OpaquePointer? {
        guard let standardForm, unusedBits == 0 else {
            return nil
        }
        switch standardForm {
        case .rsa:
            return buildRSAKey()
        case .ec:
            return buildECKey(algorithm: algorithm)
        case .ed25519:
            return publicKey.withUnsafeBufferPointer { EVP_PKEY_new_raw_public_key_ex(nil, "ED25519", nil, $0.baseAddress, $0.count) }
        case .ed448:
            return publicKey.withUnsafeBufferPointer { EVP_PKEY_new_raw_public_key_ex(nil, "ED448", nil, $0.baseAddress, $0.count) }
        }
    }

    private func buildECKey(algorithm: UnsafePointer<X509_ALGOR>) -> OpaquePointer? {
        var parameterType: Int32 = V_ASN1_UNDEF
        var parameter: UnsafeRawPointer?
        X509_ALGOR_get0(nil, &parameterType, &parameter, algorithm)
        guard parameterType == V_ASN1_OBJECT, let parameter else {
            return nil
        }
        let curve = OBJ_obj2nid(OpaquePointer(parameter))
        // d2i_PUBKEY makes a key on the SM2 curve an SM2 key, where fromdata would make it EC.
        guard curve != NID_undef, curve != NID_sm2, let groupName = OBJ_nid2sn(curve) else {
            return nil
        }
        return publicKey.withUnsafeBufferPointer { COpenSSL_EVP_PKEY_new_EC_public_key(groupName, $0.baseAddress, $0.count) }
    }

    /// Builds the key from RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }
    /// (RFC 8017 appendix A.1.1). Anything else, such as a negative INTEGER or bytes after the
    /// SEQUENCE, is left to d2i_PUBKEY.
    private func buildRSAKey() -> OpaquePointer? {
        let bytes = Array(publicKey)
        guard let sequence = try? DER.element(filling: bytes), sequence.tag == DER.sequenceTag,
            let integers = try? DER.elements(in: bytes, sequence.contents), integers.count == 2,
            let modulus = Self.positiveMagnitude(bytes, integers[0]),
            let exponent = Self.positiveMagnitude(bytes, integers[1])
        else {
            return nil
        }
        return modulus.withUnsafeBufferPointer { modulus in
            exponent.withUnsafeBufferPointer { exponent in
                COpenSSL_EVP_PKEY_new_RSA_public_key(modulus.baseAddress, modulus.count, exponent.baseAddress, exponent.count)
            }
        }
    }

    /// Returns the big-endian magnitude of a DER INTEGER above zero, or nil for any other element.
    private static func positiveMagnitude(_ bytes: [UInt8], _ element: DER.Element) -> ArraySlice<UInt8>? {
        guard DER.isInteger(bytes, element), bytes[element.contents.lowerBound] & 0x80 == 0 else {
            return nil
        }
        let magnitude = bytes[element.contents].drop { $0 == 0 }
        return magnitude.isEmpty ? nil : magnitude
    }
}
