import COpenSSL
import Foundation

/// A local issuing CA: its certificate, private key and the chain up to the root.
///
/// Issuing is thread-safe: the CA's OpenSSL objects are only read (signing with a shared
/// EVP_PKEY is safe in OpenSSL 3), and each certificate is built from objects of its own.
public final class CertificateAuthority: Sendable {
    public let certificate: Certificate
    let privateKey: PrivateKey
    /// The issuers of `certificate` up to the root, nearest first.
    public let chain: [Certificate]
    let issuerNameDER: [UInt8]
    let authorityKeyIdentifierDER: [UInt8]

    /// Backdating of notBefore, so devices with a clock slightly behind accept the certificate.
    public static let backdate: TimeInterval = 5 * 60

    /// - Throws: `PKIError.invalidCertificate` when `certificate` is not a CA certificate,
    ///   `PKIError.keyMismatch` when `privateKey` does not belong to it.
    public init(certificate: Certificate, privateKey: PrivateKey, chain: [Certificate]) throws {
        guard certificate.isCertificateAuthority else {
            throw PKIError(.invalidCertificate, "certificate \(certificate.subject) is not a CA certificate (basicConstraints CA:TRUE is missing)")
        }
        guard try certificate.publicKey == privateKey.publicKey else {
            throw PKIError(.keyMismatch, "private key does not match the CA certificate \(certificate.subject)")
        }
        self.certificate = certificate
        self.privateKey = privateKey
        self.chain = chain.filter { $0 != certificate }

        OpenSSLErrorQueue.clear()
        guard let subjectName = X509_get_subject_name(certificate.certificate) else {
            throw PKIError(.invalidCertificate, "CA certificate has no subject")
        }
        self.issuerNameDER = try encodeDER("CA subject") { i2d_X509_NAME(subjectName, $0) }
        self.authorityKeyIdentifierDER = try Self.authorityKeyIdentifier(of: certificate)
    }

    /// Loads the CA from PEM files. Without `chainPath`, certificates after the first in
    /// `certificatePath` form the chain; a chain file may also start with the CA certificate.
    public static func load(
        certificatePath: String, privateKeyPath: String, chainPath: String? = nil, passphrase: String? = nil
    ) throws -> CertificateAuthority {
        let certificates = try Certificate.certificates(fromPEMFile: certificatePath)
        let chain = try chainPath.map { try Certificate.certificates(fromPEMFile: $0) } ?? Array(certificates.dropFirst())
        let key = try PrivateKey(path: privateKeyPath, passphrase: passphrase)
        return try CertificateAuthority(certificate: certificates[0], privateKey: key, chain: chain)
    }

    /// The CA certificate followed by its chain up to the root, as EST /cacerts returns it.
    public var caChain: [Certificate] {
        [certificate] + chain
    }

    /// Issues an end-entity certificate for `csr` under `profile`.
    ///
    /// The certificate is v3 with a random serial, basicConstraints CA:FALSE (critical), subject
    /// and authority key identifiers, the profile's key usages, the CSR subject reduced to the
    /// profile's attributes and the CSR's SANs of the profile's kinds. Other extensions the CSR
    /// requests are never copied. Validity starts `backdate` before `now` and ends
    /// `validityDays` later, but not after the CA certificate.
    ///
    /// - Parameter publicKey: the key to certify instead of the CSR's, for server-side key
    ///   generation. The CSR's signature is then not checked because its key is not certified.
    /// - Throws: `PKIError.signatureInvalid` for a CSR that fails proof of possession,
    ///   `.keyNotAllowed`, `.invalidProfile`, `.certificateExpired` when the CA has expired,
    ///   `.invalidName` when nothing is left to name the subject.
    public func issue(
        csr: CertificateSigningRequest, profile: CertificateProfile, now: Date = Date(), publicKey: PublicKey? = nil
    ) throws -> Certificate {
        try profile.validate()
        if publicKey == nil {
            try csr.verifySignature()
        }
        try profile.checkKeyAllowed(try publicKey ?? csr.publicKey)

        let caNotAfter = certificate.notAfter
        guard now < caNotAfter else {
            throw PKIError(.certificateExpired, "issuing CA \(certificate.subject) expired at \(caNotAfter)")
        }
        let notBefore = now - Self.backdate
        let notAfter = min(now + TimeInterval(profile.validityDays) * 86_400, caNotAfter)

        let subject = csr.subject.filtered(keeping: profile.keptSubjectAttributes)
        let names = csr.subjectAlternativeNames.filter { profile.copySubjectAlternativeNames.contains($0.kind) }
        guard !subject.attributes.isEmpty || !names.isEmpty else {
            throw PKIError(.invalidName, "CSR has no subject attribute or subjectAltName that profile \(profile.name) keeps")
        }

        let builder = try CertificateBuilder(
            subject: subject, issuerNameDER: issuerNameDER, subjectKey: try subjectKey(publicKey, csr: csr),
            notBefore: notBefore, notAfter: notAfter)
        try builder.addExtension(NID_basic_constraints, "critical,CA:FALSE")
        try builder.addSubjectKeyIdentifier()
        try builder.addExtension(NID_authority_key_identifier, critical: false, der: authorityKeyIdentifierDER)
        if !profile.keyUsage.isEmpty {
            try builder.addExtension(NID_key_usage, "critical," + profile.keyUsage.joined(separator: ","))
        }
        if !profile.extendedKeyUsage.isEmpty {
            try builder.addExtension(NID_ext_key_usage, profile.extendedKeyUsage.joined(separator: ","))
        }
        if !names.isEmpty {
            // RFC 5280 section 4.2.1.6: with an empty subject the SAN extension is critical.
            try builder.addSubjectAlternativeNames(names, critical: subject.attributes.isEmpty)
        }
        return try builder.sign(with: privateKey)
    }

    /// Returns the key to certify: the server-generated one, or the CSR's. The CSR's bytes are
    /// copied only in their standard form; other forms go through OpenSSL, which normalizes them.
    private func subjectKey(_ publicKey: PublicKey?, csr: CertificateSigningRequest) throws -> CertificateBuilder.SubjectKey {
        if let publicKey {
            return .key(publicKey)
        }
        return csr.keyAlgorithmIsStandardForm ? .request(csr) : .key(try csr.publicKey)
    }

    /// Encodes the AuthorityKeyIdentifier for `certificate`'s key: its subjectKeyIdentifier, or
    /// the SHA-1 of its public key when it has none (RFC 5280 section 4.2.1.1).
    private static func authorityKeyIdentifier(of certificate: Certificate) throws -> [UInt8] {
        var keyIdentifier: [UInt8]
        if let existing = X509_get0_subject_key_id(certificate.certificate) {
            keyIdentifier = asn1StringBytes(existing)
        } else {
            keyIdentifier = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
            var length: UInt32 = 0
            guard X509_pubkey_digest(certificate.certificate, EVP_sha1(), &keyIdentifier, &length) == 1 else {
                throw PKIError(.internalError, "hashing the CA public key failed")
            }
            keyIdentifier = Array(keyIdentifier.prefix(Int(length)))
        }
        guard !keyIdentifier.isEmpty, keyIdentifier.count <= 64 else {
            throw PKIError(.invalidCertificate, "CA subjectKeyIdentifier of \(keyIdentifier.count) bytes is not supported")
        }
        // AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING }
        let tagged = [0x80, UInt8(keyIdentifier.count)] + keyIdentifier
        return [0x30, UInt8(tagged.count)] + tagged
    }
}
