import COpenSSL

/// An owned OpenSSL X509_NAME built from a `DistinguishedName`.
final class X509Name {
    let name: OpaquePointer

    init(_ distinguishedName: DistinguishedName) throws {
        OpenSSLErrorQueue.clear()
        guard let name = X509_NAME_new() else {
            throw PKIError(.internalError, "allocating an X509_NAME failed")
        }
        self.name = name

        for attribute in distinguishedName.attributes {
            let added = X509_NAME_add_entry_by_txt(name, attribute.type, MBSTRING_UTF8, attribute.value, -1, -1, 0)
            guard added == 1 else {
                throw PKIError(.invalidName, "distinguished name attribute \(attribute.type)=\(attribute.value) is invalid")
            }
        }
    }

    deinit {
        X509_NAME_free(name)
    }
}

extension DistinguishedName {
    /// Reads a name that OpenSSL owns.
    /// NOTE: multi-valued RDNs ("CN=a+UID=b") become consecutive attributes, so a certificate
    /// issued from such a name has one RDN per attribute instead.
    init(borrowing name: OpaquePointer) {
        var attributes: [(type: String, value: String)] = []
        for index in 0..<X509_NAME_entry_count(name) {
            guard let entry = X509_NAME_get_entry(name, index),
                let object = X509_NAME_ENTRY_get_object(entry),
                let data = X509_NAME_ENTRY_get_data(entry)
            else {
                continue
            }
            let value = asn1StringText(data) ?? asn1StringBytes(data).hexString
            attributes.append((objectName(object), value))
        }
        self.init(attributes)
    }
}
