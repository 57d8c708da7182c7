import COpenSSL
import Foundation

/// Builds and signs one X.509 v3 certificate. Every OpenSSL object it touches is its own, so
/// builders on different threads share nothing.
final class CertificateBuilder {
    /// The key a certificate certifies.
    enum SubjectKey {
        case key(PublicKey)
        /// The key of a CSR, copied as the CSR encodes it.
        case request(CertificateSigningRequest)
    }

    private let owner: OwnedPointer
    private let certificate: OpaquePointer
    private let keyCopiedFromRequest: Bool

    /// Starts a certificate with a random serial number: 16 random bytes with the top bit cleared
    /// (positive, at most 20 octets per RFC 5280 section 4.1.2.2) and the lowest bit set (never
    /// zero), which leaves 126 random bits where the CA/Browser Forum requires 64.
    ///
    /// - Parameter issuerNameDER: the DER subject name of the issuing certificate, copied byte for
    ///   byte so that name chaining never depends on re-encoding.
    init(subject: DistinguishedName, issuerNameDER: [UInt8]?, subjectKey: SubjectKey, notBefore: Date, notAfter: Date) throws {
        OpenSSLErrorQueue.clear()
        guard let certificate = X509_new() else {
            throw PKIError(.internalError, "allocating an X509 failed")
        }
        self.owner = OwnedPointer(certificate, free: { X509_free($0) })
        self.certificate = certificate
        if case .request = subjectKey {
            keyCopiedFromRequest = true
        } else {
            keyCopiedFromRequest = false
        }

        guard X509_set_version(certificate, Int(X509_VERSION_3)) == 1 else {
            throw PKIError(.internalError, "setting the certificate version failed")
        }
        try setSerialNumber()

        let subjectName = try X509Name(subject)
        guard X509_set_subject_name(certificate, subjectName.name) == 1 else {
            throw PKIError(.internalError, "setting the certificate subject failed")
        }
        if let issuerNameDER {
            let parsed = decodeDER(issuerNameDER, { d2i_X509_NAME(nil, $0, $1) }, free: { X509_NAME_free($0) })
            guard let issuerName = parsed else {
                throw PKIError(.invalidName, "issuer name is not a DER X.509 name")
            }
            defer { X509_NAME_free(issuerName) }
            guard X509_set_issuer_name(certificate, issuerName) == 1 else {
                throw PKIError(.internalError, "setting the certificate issuer failed")
            }
        } else {
            guard X509_set_issuer_name(certificate, subjectName.name) == 1 else {
                throw PKIError(.internalError, "setting the certificate issuer failed")
            }
        }

        guard ASN1_TIME_set(X509_getm_notBefore(certificate), time_t(notBefore.timeIntervalSince1970)) != nil,
            ASN1_TIME_set(X509_getm_notAfter(certificate), time_t(notAfter.timeIntervalSince1970)) != nil
        else {
            throw PKIError(.internalError, "setting the certificate validity failed")
        }
        switch subjectKey {
        case .key(let publicKey):
            guard X509_set_pubkey(certificate, publicKey.pkey) == 1 else {
                throw PKIError(.internalError, "setting the certificate public key failed")
            }
        case .request(let csr):
            let copied = csr.subjectPublicKeyInfoDER.withUnsafeBufferPointer {
                COpenSSL_X509_set_subject_public_key_info(certificate, $0.baseAddress, $0.count)
            }
            guard copied == 1 else {
                throw PKIError(.internalError, "copying the CSR public key into the certificate failed")
            }
        }
    }

    /// Adds an extension written in OpenSSL's configuration syntax ("critical,CA:FALSE",
    /// "hash", "clientAuth,serverAuth"); values that only depend on this certificate.
    func addExtension(_ nid: Int32, _ value: String) throws {
        OpenSSLErrorQueue.clear()
        var context = X509V3_CTX()
        X509V3_set_ctx(&context, nil, certificate, nil, nil, 0)
        guard let extensionValue = X509V3_EXT_conf_nid(nil, &context, nid, value) else {
            let name = OBJ_nid2sn(nid).map { String(cString: $0) } ?? "\(nid)"
            throw PKIError(.invalidProfile, "extension \(name) value \"\(value)\" is invalid")
        }
        try addExtension(taking: extensionValue)
    }

    /// Adds an extension whose value is already DER.
    func addExtension(_ nid: Int32, critical: Bool, der: [UInt8]) throws {
        OpenSSLErrorQueue.clear()
        guard let octets = ASN1_OCTET_STRING_new() else {
            throw PKIError(.internalError, "allocating an OCTET STRING failed")
        }
        defer { ASN1_OCTET_STRING_free(octets) }
        guard ASN1_OCTET_STRING_set(octets, der, Int32(der.count)) == 1,
            let extensionValue = X509_EXTENSION_create_by_NID(nil, nid, critical ? 1 : 0, octets)
        else {
            throw PKIError(.internalError, "creating extension \(nid) failed")
        }
        try addExtension(taking: extensionValue)
    }

    func addSubjectAlternativeNames(_ names: [GeneralName], critical: Bool) throws {
        let extensionValue = try GeneralNames(names).makeExtension()
        guard X509_EXTENSION_set_critical(extensionValue, critical ? 1 : 0) == 1 else {
            X509_EXTENSION_free(extensionValue)
            throw PKIError(.internalError, "marking subjectAltName critical failed")
        }
        try addExtension(taking: extensionValue)
    }

    /// Adds the subjectKeyIdentifier: SHA-1 of the subject public key (RFC 5280 section
    /// 4.2.1.2, method 1).
    func addSubjectKeyIdentifier() throws {
        try addExtension(NID_subject_key_identifier, "hash")
    }

    /// Signs with `key` and returns the finished certificate; the builder is spent afterwards.
    func sign(with key: PrivateKey) throws -> Certificate {
        OpenSSLErrorQueue.clear()
        guard X509_sign(certificate, key.pkey, key.signatureDigest) > 0 else {
            throw PKIError(.signingFailed, "signing the certificate with the \(key.publicKey.algorithm) CA key failed")
        }
        let signed = owner.release()
        guard keyCopiedFromRequest else {
            defer { X509_free(signed) }
            return try Certificate(sharing: signed)
        }
        return try Certificate(takingSignedWithoutDecodedKey: signed)
    }

    private func addExtension(taking extensionValue: OpaquePointer) throws {
        defer { X509_EXTENSION_free(extensionValue) }
        guard X509_add_ext(certificate, extensionValue, -1) == 1 else {
            throw PKIError(.internalError, "adding an extension to the certificate failed")
        }
    }

    private func setSerialNumber() throws {
        var bytes = [UInt8](repeating: 0, count: 16)
        guard RAND_bytes(&bytes, Int32(bytes.count)) == 1 else {
            throw PKIError(.internalError, "generating a random serial number failed")
        }
        bytes[0] &= 0x7F
        bytes[15] |= 0x01

        guard let number = BN_bin2bn(bytes, Int32(bytes.count), nil) else {
            throw PKIError(.internalError, "converting the serial number failed")
        }
        defer { BN_free(number) }
        guard let serial = BN_to_ASN1_INTEGER(number, nil) else {
            throw PKIError(.internalError, "converting the serial number failed")
        }
        defer { ASN1_INTEGER_free(serial) }
        guard X509_set_serialNumber(certificate, serial) == 1 else {
            throw PKIError(.internalError, "setting the serial number failed")
        }
    }
}
