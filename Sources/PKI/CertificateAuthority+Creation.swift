import COpenSSL
import Foundation

extension CertificateAuthority {
    /// Creates a self-signed root CA certificate for `key`: basicConstraints CA:TRUE and
    /// keyUsage keyCertSign, cRLSign (both critical), subjectKeyIdentifier, valid from
    /// `backdate` before `now` for `validityDays`.
    public static func createRoot(
        subject: DistinguishedName, key: PrivateKey, validityDays: Int, now: Date = Date()
    ) throws -> CertificateAuthority {
        let builder = try CertificateBuilder(
            subject: subject, issuerNameDER: nil, subjectKey: .key(key.publicKey),
            notBefore: now - backdate, notAfter: now + TimeInterval(validityDays) * 86_400)
        try builder.addExtension(NID_basic_constraints, "critical,CA:TRUE")
        try builder.addExtension(NID_key_usage, "critical,keyCertSign,cRLSign")
        try builder.addSubjectKeyIdentifier()
        let certificate = try builder.sign(with: key)
        return try CertificateAuthority(certificate: certificate, privateKey: key, chain: [])
    }

    /// Issues a subordinate CA certificate for `key` that may issue only end-entity
    /// certificates (pathLenConstraint 0), and returns that CA with this CA's chain behind it.
    /// Validity ends no later than this CA's.
    public func createSubordinate(
        subject: DistinguishedName, key: PrivateKey, validityDays: Int, now: Date = Date()
    ) throws -> CertificateAuthority {
        let notAfter = min(now + TimeInterval(validityDays) * 86_400, certificate.notAfter)
        let builder = try CertificateBuilder(
            subject: subject, issuerNameDER: issuerNameDER, subjectKey: .key(key.publicKey),
            notBefore: now - Self.backdate, notAfter: notAfter)
        try builder.addExtension(NID_basic_constraints, "critical,CA:TRUE,pathlen:0")
        try builder.addExtension(NID_key_usage, "critical,keyCertSign,cRLSign")
        try builder.addSubjectKeyIdentifier()
        try builder.addExtension(NID_authority_key_identifier, critical: false, der: authorityKeyIdentifierDER)
        let certificate = try builder.sign(with: privateKey)
        return try CertificateAuthority(certificate: certificate, privateKey: key, chain: caChain)
    }
}
