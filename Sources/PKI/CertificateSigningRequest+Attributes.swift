import COpenSSL

extension CertificateSigningRequest {
    /// The DER of OID 1.2.840.113549.1.9.14, extensionRequest (RFC 2985 section 5.4.2).
    private static let extensionRequestOID: [UInt8] = [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x0E]
    /// The DER of OID 1.3.6.1.4.1.311.2.1.14, Microsoft's extensionRequest, which older Windows
    /// clients send.
    private static let microsoftExtensionRequestOID: [UInt8] = [0x06, 0x0A, 0x2B, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x01, 0x0E]

    /// The extensions in the extensionRequest attribute (RFC 2985 section 5.4.2).
    public var requestedExtensions: [CertificateExtension] {
        requestedExtensionStack()?.extensions ?? []
    }

    /// The names of the requested subjectAltName extension.
    public var subjectAlternativeNames: [GeneralName] {
        requestedExtensionStack()?.subjectAlternativeNames ?? []
    }

    /// The challengePassword attribute (RFC 2985 section 5.4.1), which EST uses for a one-time
    /// password or the TLS channel binding. Only its first value is read.
    public var challengePassword: String? {
        guard let value = layout.attribute(ofType: CertificationRequestLayout.challengePasswordOID)?.values.first else {
            return nil
        }
        OpenSSLErrorQueue.clear()
        guard let type = decodeDER(value, { d2i_ASN1_TYPE(nil, $0, $1) }, free: { ASN1_TYPE_free($0) }) else {
            OpenSSLErrorQueue.clear()
            return nil
        }
        defer { ASN1_TYPE_free(type) }
        return COpenSSL_ASN1_TYPE_string(type).flatMap(asn1StringText)
    }

    /// Decodes the first value of the extensionRequest attribute, or of Microsoft's when the
    /// request has no extensionRequest, as X509_REQ_get_extensions does.
    private func requestedExtensionStack() -> ExtensionStack? {
        let attribute = layout.attribute(ofType: Self.extensionRequestOID) ?? layout.attribute(ofType: Self.microsoftExtensionRequestOID)
        guard let value = attribute?.values.first, value.first == DER.sequenceTag else {
            return nil
        }
        OpenSSLErrorQueue.clear()
        guard let stack = decodeDER(value, { d2i_X509_EXTENSIONS(nil, $0, $1) }, free: { COpenSSL_sk_X509_EXTENSION_pop_free($0) }) else {
            OpenSSLErrorQueue.clear()
            return nil
        }
        return ExtensionStack(taking: stack)
    }
}
