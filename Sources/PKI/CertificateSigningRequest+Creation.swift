import COpenSSL

extension CertificateSigningRequest {
    /// Creates and signs a request: SHA-256 for RSA and P-256, SHA-384 for P-384, SHA-512 for
    /// P-521, no separate digest for Ed25519. SANs go into an extensionRequest attribute.
    ///
    /// - Throws: `PKIError.invalidName` or `.invalidGeneralName` for values that cannot be
    ///   encoded, `PKIError.signingFailed` when signing fails.
    public static func create(
        subject: DistinguishedName,
        subjectAlternativeNames: [GeneralName] = [],
        challengePassword: String? = nil,
        signingKey: PrivateKey
    ) throws -> CertificateSigningRequest {
        OpenSSLErrorQueue.clear()
        guard let request = X509_REQ_new() else {
            throw PKIError(.internalError, "allocating an X509_REQ failed")
        }
        defer { X509_REQ_free(request) }

        let name = try X509Name(subject)
        guard X509_REQ_set_version(request, 0) == 1, X509_REQ_set_subject_name(request, name.name) == 1,
            X509_REQ_set_pubkey(request, signingKey.pkey) == 1
        else {
            throw PKIError(.internalError, "setting the CSR version, subject or key failed")
        }

        if !subjectAlternativeNames.isEmpty {
            let extensions = try ExtensionStack()
            try extensions.append(taking: try GeneralNames(subjectAlternativeNames).makeExtension())
            guard X509_REQ_add_extensions(request, extensions.stack) == 1 else {
                throw PKIError(.internalError, "adding the extensionRequest attribute failed")
            }
        }

        if let challengePassword {
            let bytes = Array(challengePassword.utf8)
            let added = X509_REQ_add1_attr_by_NID(request, NID_pkcs9_challengePassword, MBSTRING_UTF8, bytes, Int32(bytes.count))
            guard added == 1 else {
                throw PKIError(.invalidCSR, "challengePassword of \(bytes.count) bytes cannot be encoded")
            }
        }

        guard X509_REQ_sign(request, signingKey.pkey, signingKey.signatureDigest) > 0 else {
            throw PKIError(.signingFailed, "signing the CSR with the \(signingKey.publicKey.algorithm) key failed")
        }
        // The request is parsed again from its DER, so a created request is read as a received one.
        let der = try encodeDER("CSR") { i2d_X509_REQ(request, $0) }
        return try CertificateSigningRequest(derEncoded: der)
    }
}
