import COpenSSL
import Foundation
import Synchronization

/// An X.509 certificate (RFC 5280), owning its OpenSSL X509; equal and hashed by its DER.
public final class Certificate: Hashable, CustomStringConvertible, @unchecked Sendable {
    // @unchecked Sendable: the certificate is never modified after init, and OpenSSL 3 guards
    // its lazily filled extension cache with a lock, so concurrent reads are safe.
    let certificate: OpaquePointer
    public let derEncoded: [UInt8]
    /// The certificate parsed again from its DER, for a certificate signed here with a key
    /// copied from a CSR as bytes or parsed without its key. Such a certificate has no decoded
    /// key, because OpenSSL 3.0 decodes keys only while parsing. It stays nil until an OpenSSL
    /// call needs the key.
    private let reparsed = Mutex<OpaquePointer?>(nil)
    private let keyDecoded: Bool

    private init(taking certificate: OpaquePointer, derEncoded: [UInt8], keyDecoded: Bool = true) {
        self.certificate = certificate
        self.derEncoded = derEncoded
        self.keyDecoded = keyDecoded
    }

    /// Shares a certificate owned elsewhere (for example by a verified chain) by taking a reference.
    /// `keyDecoded` is false for one parsed without its key (see `KeylessDecoding`).
    package convenience init(sharing certificate: OpaquePointer, keyDecoded: Bool = true) throws {
        let der = try encodeDER("certificate") { i2d_X509(certificate, $0) }
        self.init(sharing: certificate, derEncoded: der, keyDecoded: keyDecoded)
    }

    /// Shares a certificate whose DER encoding the caller already has, so it is not encoded again.
    package convenience init(sharing certificate: OpaquePointer, derEncoded: [UInt8], keyDecoded: Bool = true) {
        X509_up_ref(certificate)
        self.init(taking: certificate, derEncoded: derEncoded, keyDecoded: keyDecoded)
    }

    /// Takes ownership of a certificate just signed with a public key that is not decoded.
    convenience init(takingSignedWithoutDecodedKey certificate: OpaquePointer) throws {
        let der: [UInt8]
        do {
            der = try encodeDER("certificate") { i2d_X509(certificate, $0) }
        } catch {
            X509_free(certificate)
            throw error
        }
        self.init(taking: certificate, derEncoded: der, keyDecoded: false)
    }

    /// Parses a DER certificate; trailing bytes are an error.
    ///
    /// - Throws: `PKIError.invalidCertificate`.
    public convenience init(derEncoded: [UInt8]) throws {
        OpenSSLErrorQueue.clear()
        let parsed = decodeDER(derEncoded, { d2i_X509(nil, $0, $1) }, free: { X509_free($0) })
        guard let certificate = parsed else {
            throw PKIError(.invalidCertificate, "certificate is not a DER X.509 certificate (\(derEncoded.count) bytes)")
        }
        self.init(taking: certificate, derEncoded: derEncoded)
    }

    /// Parses the first CERTIFICATE block of `pemEncoded`.
    public convenience init(pemEncoded: String) throws {
        guard let first = try Self.certificates(fromPEM: pemEncoded).first else {
            throw PKIError(.invalidPEM, "no CERTIFICATE PEM block found")
        }
        try self.init(derEncoded: first.derEncoded)
    }

    deinit {
        X509_free(certificate)
        if let copy = reparsed.withLock({ $0 }) {
            X509_free(copy)
        }
    }

    /// Returns the X509 for OpenSSL calls that use the certificate's public key, such as
    /// verification and reading the key.
    func x509WithDecodedKey() throws -> OpaquePointer {
        guard !keyDecoded else {
            return certificate
        }
        return try reparsed.withLock { copy in
            if let copy {
                return copy
            }
            OpenSSLErrorQueue.clear()
            guard let parsed = decodeDER(derEncoded, { d2i_X509(nil, $0, $1) }, free: { X509_free($0) }) else {
                throw PKIError(.invalidCertificate, "certificate \(subject) cannot be parsed from its own DER")
            }
            copy = parsed
            return parsed
        }
    }

    /// Parses every CERTIFICATE block of `text` in order; other blocks and text are ignored.
    public static func certificates(fromPEM text: String) throws -> [Certificate] {
        try PEM.decode(text, label: "CERTIFICATE").map { try Certificate(derEncoded: $0) }
    }

    /// Reads every certificate of a PEM file.
    ///
    /// - Throws: `PKIError.fileAccess` when the file cannot be read or contains no certificate.
    public static func certificates(fromPEMFile path: String) throws -> [Certificate] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw PKIError(.fileAccess, "reading the certificate file \(path) failed: \(error.localizedDescription)")
        }
        let certificates = try certificates(fromPEM: text)
        guard !certificates.isEmpty else {
            throw PKIError(.fileAccess, "certificate file \(path) contains no CERTIFICATE PEM block")
        }
        return certificates
    }

    public var pemEncoded: String {
        PEM.encode(label: "CERTIFICATE", der: derEncoded)
    }

    /// Lowercase hex SHA-256 of the DER certificate.
    public var fingerprint: String {
        Digest.sha256(derEncoded).hexString
    }

    public var subject: DistinguishedName {
        X509_get_subject_name(certificate).map { DistinguishedName(borrowing: $0) } ?? DistinguishedName([])
    }

    public var issuer: DistinguishedName {
        X509_get_issuer_name(certificate).map { DistinguishedName(borrowing: $0) } ?? DistinguishedName([])
    }

    /// The serial number's magnitude as lowercase hex, as in the DER INTEGER without sign padding.
    public var serialNumberHex: String {
        X509_get0_serialNumber(certificate).map { asn1StringBytes($0).hexString } ?? ""
    }

    public var notBefore: Date {
        Date(asn1Time: X509_get0_notBefore(certificate))
    }

    public var notAfter: Date {
        Date(asn1Time: X509_get0_notAfter(certificate))
    }

    public var subjectAlternativeNames: [GeneralName] {
        guard let names = X509_get_ext_d2i(certificate, NID_subject_alt_name, nil, nil) else {
            return []
        }
        return GeneralNames(taking: OpaquePointer(names)).generalNames
    }

    /// The keyUsage bits by their RFC 5280 names ("digitalSignature", "keyCertSign"), or none
    /// without the extension.
    public var keyUsage: [String] {
        let bits = X509_get_key_usage(certificate)
        guard bits != UInt32.max else {
            return []
        }
        return KeyUsage.names(ofBits: bits)
    }

    /// The extendedKeyUsage purposes by OpenSSL short name ("clientAuth", "serverAuth") or OID.
    public var extendedKeyUsage: [String] {
        guard let usages = X509_get_ext_d2i(certificate, NID_ext_key_usage, nil, nil) else {
            return []
        }
        let stack = OpaquePointer(usages)
        defer { EXTENDED_KEY_USAGE_free(stack) }
        return (0..<COpenSSL_sk_ASN1_OBJECT_num(stack)).compactMap { index in
            COpenSSL_sk_ASN1_OBJECT_value(stack, index).map(objectName)
        }
    }

    /// True when basicConstraints has CA:TRUE.
    public var isCertificateAuthority: Bool {
        X509_get_extension_flags(certificate) & UInt32(EXFLAG_CA) != 0
    }

    public var publicKey: PublicKey {
        get throws {
            OpenSSLErrorQueue.clear()
            guard let pkey = X509_get0_pubkey(try x509WithDecodedKey()) else {
                throw PKIError(.invalidPublicKey, "certificate public key cannot be decoded")
            }
            return try PublicKey(sharing: pkey)
        }
    }

    /// Checks that `issuer`'s key signed this certificate; names and validity are not checked
    /// (`TrustStore.verify` does a full path validation).
    ///
    /// - Throws: `PKIError.signatureInvalid`.
    public func verifySignature(issuer: Certificate) throws {
        OpenSSLErrorQueue.clear()
        guard let pkey = X509_get0_pubkey(try issuer.x509WithDecodedKey()) else {
            throw PKIError(.invalidPublicKey, "issuer certificate public key cannot be decoded")
        }
        // The subject's X509 also comes from x509WithDecodedKey, so that X509_verify never runs
        // on a certificate whose key belongs to the keyless library context.
        guard X509_verify(try x509WithDecodedKey(), pkey) == 1 else {
            throw PKIError(.signatureInvalid, "certificate \(subject) is not signed by the key of \(issuer.subject)")
        }
    }

    /// True when the certificate certifies the key of `csr`.
    public func matchesPublicKey(of csr: CertificateSigningRequest) -> Bool {
        guard let mine = try? publicKey, let theirs = try? csr.publicKey else {
            OpenSSLErrorQueue.clear()
            return false
        }
        return mine == theirs
    }

    /// "subject (serial ...)".
    public var description: String {
        "\(subject) (serial \(serialNumberHex))"
    }

    public static func == (lhs: Certificate, rhs: Certificate) -> Bool {
        lhs.derEncoded == rhs.derEncoded
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(derEncoded)
    }
}

extension Date {
    /// Converts an ASN1_TIME (UTCTime or GeneralizedTime, always UTC in certificates).
    init(asn1Time time: UnsafePointer<ASN1_TIME>?) {
        var parts = tm()
        guard let time, ASN1_TIME_to_tm(time, &parts) == 1 else {
            OpenSSLErrorQueue.clear()
            self.init(timeIntervalSince1970: 0)
            return
        }
        self.init(timeIntervalSince1970: TimeInterval(timegm(&parts)))
    }
}
