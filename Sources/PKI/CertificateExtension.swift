import COpenSSL

/// One X.509 extension as it is encoded (RFC 5280 section 4.1).
public struct CertificateExtension: Hashable, Sendable {
    /// The extension's OID in dotted form ("2.5.29.17").
    public var oid: String
    public var critical: Bool
    /// The DER inside the extnValue OCTET STRING.
    public var value: [UInt8]

    public init(oid: String, critical: Bool, value: [UInt8]) {
        self.oid = oid
        self.critical = critical
        self.value = value
    }

    init(borrowing extensionValue: OpaquePointer) {
        self.oid = X509_EXTENSION_get_object(extensionValue).map(dottedOID) ?? ""
        self.critical = X509_EXTENSION_get_critical(extensionValue) > 0
        self.value = X509_EXTENSION_get_data(extensionValue).map { asn1StringBytes($0) } ?? []
    }
}

/// An owned STACK_OF(X509_EXTENSION) together with the extensions in it.
final class ExtensionStack {
    let stack: OpaquePointer

    /// Takes ownership of `stack`.
    init(taking stack: OpaquePointer) {
        self.stack = stack
    }

    convenience init() throws {
        OpenSSLErrorQueue.clear()
        guard let stack = COpenSSL_sk_X509_EXTENSION_new_null() else {
            throw PKIError(.internalError, "allocating an extension stack failed")
        }
        self.init(taking: stack)
    }

    deinit {
        COpenSSL_sk_X509_EXTENSION_pop_free(stack)
    }

    /// Adds `extensionValue`, which the stack then owns (also when adding fails).
    func append(taking extensionValue: OpaquePointer) throws {
        guard COpenSSL_sk_X509_EXTENSION_push(stack, extensionValue) > 0 else {
            X509_EXTENSION_free(extensionValue)
            throw PKIError(.internalError, "adding an extension to the stack failed")
        }
    }

    var extensions: [CertificateExtension] {
        (0..<COpenSSL_sk_X509_EXTENSION_num(stack)).compactMap { index in
            COpenSSL_sk_X509_EXTENSION_value(stack, index).map(CertificateExtension.init(borrowing:))
        }
    }

    /// The subjectAltName names in the stack, or none.
    var subjectAlternativeNames: [GeneralName] {
        let index = X509v3_get_ext_by_NID(stack, NID_subject_alt_name, -1)
        guard index >= 0, let extensionValue = COpenSSL_sk_X509_EXTENSION_value(stack, index),
            let decoded = X509V3_EXT_d2i(extensionValue)
        else {
            OpenSSLErrorQueue.clear()
            return []
        }
        return GeneralNames(taking: OpaquePointer(decoded)).generalNames
    }
}
