import COpenSSL

/// The client certificates that OpenSSL decoded in the handshake (or, for a resumed session's
/// intermediates, from its ticket), leaf first, so that a handler can use them without parsing
/// their DER again. With OpenSSL 3.0, parsing a certificate again cost about 0.2 ms on the
/// benchmark machine, because decoding its key builds a decoder context.
public final class PeerCertificates: @unchecked Sendable {
    // @unchecked Sendable: the certificates are not modified after the handshake, and OpenSSL
    // counts references to them atomically.
    /// The certificates, each with a reference that this object holds.
    package let x509s: [OpaquePointer]

    /// The certificates in DER, in the same order, encoded once when the object is made.
    package let derEncoded: [[UInt8]]

    /// Takes a reference to each certificate and encodes it.
    init(retaining certificates: [OpaquePointer]) {
        for certificate in certificates {
            X509_up_ref(certificate)
        }
        x509s = certificates
        derEncoded = certificates.map(TLSConnection.der(of:))
    }

    deinit {
        for certificate in x509s {
            X509_free(certificate)
        }
    }

}
