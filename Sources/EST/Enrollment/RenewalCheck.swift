import PKI

/// RFC 7030 section 4.2.2: a re-enrollment CSR must carry the same subject and subjectAltName as
/// the certificate being renewed. The certificate contains the CSR's values as filtered by the profile,
/// so the CSR is filtered the same way before comparing.
enum RenewalCheck {
    static func verify(csr: CertificateSigningRequest, renewing certificate: Certificate, profile: CertificateProfile)
        throws
    {
        // The issuing CA filters the subject with the same profile, so equal subjects compare equal here.
        guard csr.subject.filtered(keeping: profile.keptSubjectAttributes) == certificate.subject else {
            throw ESTError.forbidden(
                "the CSR subject \(csr.subject.description) does not match the subject \(certificate.subject.description) of the certificate being renewed"
            )
        }

        let copiedKinds = Set(profile.copySubjectAlternativeNames.map { $0.lowercased() })
        let csrNames = Set(csr.subjectAlternativeNames.filter { copiedKinds.contains($0.kind) }.map(\.description))
        let certificateNames = Set(certificate.subjectAlternativeNames.map(\.description))
        guard csrNames == certificateNames else {
            let expected = certificateNames.sorted().joined(separator: ", ")
            let found = csrNames.sorted().joined(separator: ", ")
            throw ESTError.forbidden(
                "the CSR subjectAltName [\(found)] does not match [\(expected)] of the certificate being renewed")
        }
    }
}
