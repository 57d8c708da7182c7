import COpenSSL
import Foundation

/// A set of trust anchors for certificate path validation (RFC 5280 section 6), owning an
/// OpenSSL X509_STORE.
public final class TrustStore: @unchecked Sendable {
    // @unchecked Sendable: certificates are only added in init; OpenSSL 3 locks the store's
    // object cache, so concurrent verifications are safe.
    private let store: OpaquePointer
    public let anchors: [Certificate]

    /// The purpose the leaf must be valid for, checked against its extendedKeyUsage.
    public enum Purpose: Sendable {
        case tlsClient
        case tlsServer
        case any

        var openSSLPurpose: Int32 {
            switch self {
            case .tlsClient: X509_PURPOSE_SSL_CLIENT
            case .tlsServer: X509_PURPOSE_SSL_SERVER
            case .any: X509_PURPOSE_ANY
            }
        }
    }

    public init(certificates: [Certificate]) throws {
        OpenSSLErrorQueue.clear()
        guard let store = X509_STORE_new() else {
            throw PKIError(.internalError, "allocating an X509_STORE failed")
        }
        self.store = store
        self.anchors = certificates

        for certificate in certificates {
            guard X509_STORE_add_cert(store, try certificate.x509WithDecodedKey()) == 1 else {
                throw PKIError(.invalidCertificate, "adding trust anchor \(certificate.subject) failed")
            }
        }
    }

    /// Trusts every certificate of a PEM file.
    public convenience init(pemFile path: String) throws {
        try self.init(certificates: Certificate.certificates(fromPEMFile: path))
    }

    deinit {
        X509_STORE_free(store)
    }

    /// Validates a path from `leaf` through `intermediates` to one of the anchors at time `at`
    /// and returns it, leaf first and anchor last.
    ///
    /// - Throws: `PKIError.verificationFailed` with OpenSSL's reason ("certificate has expired",
    ///   "unable to get local issuer certificate") and the depth and subject it applies to.
    public func verify(
        leaf: Certificate, intermediates: [Certificate] = [], at time: Date = Date(), purpose: Purpose = .tlsClient
    ) throws -> [Certificate] {
        OpenSSLErrorQueue.clear()
        guard let context = X509_STORE_CTX_new() else {
            throw PKIError(.internalError, "allocating an X509_STORE_CTX failed")
        }
        defer { X509_STORE_CTX_free(context) }
        guard let untrusted = COpenSSL_sk_X509_new_null() else {
            throw PKIError(.internalError, "allocating a certificate stack failed")
        }
        // The stack only borrows the certificates, which `intermediates` keeps alive.
        defer { COpenSSL_sk_X509_free(untrusted) }
        for certificate in intermediates {
            guard COpenSSL_sk_X509_push(untrusted, try certificate.x509WithDecodedKey()) > 0 else {
                throw PKIError(.internalError, "adding an intermediate certificate failed")
            }
        }

        guard X509_STORE_CTX_init(context, store, try leaf.x509WithDecodedKey(), untrusted) == 1,
            X509_STORE_CTX_set_purpose(context, purpose.openSSLPurpose) == 1
        else {
            throw PKIError(.internalError, "setting up certificate verification failed")
        }
        X509_STORE_CTX_set_time(context, 0, time_t(time.timeIntervalSince1970))

        guard X509_verify_cert(context) == 1 else {
            let code = X509_STORE_CTX_get_error(context)
            let reason = X509_verify_cert_error_string(Int(code)).map { String(cString: $0) } ?? "error \(code)"
            let depth = X509_STORE_CTX_get_error_depth(context)
            let subject = X509_STORE_CTX_get_current_cert(context).flatMap(X509_get_subject_name).map {
                DistinguishedName(borrowing: $0).description
            } ?? "unknown"
            throw PKIError(.verificationFailed, "certificate \(leaf.subject) failed verification: \(reason) (depth \(depth), \(subject))")
        }

        guard let chain = X509_STORE_CTX_get0_chain(context) else {
            throw PKIError(.internalError, "verified chain is missing")
        }
        return try (0..<COpenSSL_sk_X509_num(chain)).compactMap { index in
            try COpenSSL_sk_X509_value(chain, index).map { try Certificate(sharing: $0) }
        }
    }
}
