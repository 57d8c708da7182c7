import PKI

/// RFC 7030 section 4.2.2: a re-enrollment CSR must carry the same subject and subjectAltName as
/// the certificate being renewed. The certificate holds the CSR's values as filtered by the profile,
/// so the CSR is filtered the same way before comparing.
enum RenewalCheck {
    static func verify(csr: CertificateSigningRequest, renewing certificate: Certificate, profile: CertificateProfile)
        throws
    {
        let kept = Set(profile.keptSubjectAttributes.map { $0.lowercased() })
        let csrSubject = csr.subject.attributes.filter { kept.contains($0.type.lowercased()) }
        let certificateSubject = certificate.subject.attributes
        guard csrSubject.map(\.type) == certificateSubject.map(\.type),
            csrSubject.map(\.value) == certificateSubject.map(\.value)
        else {
            throw ESTError.forbidden(
                "the CSR subject \(csr.subject.description) does not match the subject \(certificate.subject.description) of the certificate being renewed"
            )
        }

        let copiedKinds = Set(profile.copySubjectAlternativeNames.map { $0.lowercased() })
        let csrNames = Set(csr.subjectAlternativeNames.filter { copiedKinds.contains(kind(of: $0)) }.map(\.description))
        let certificateNames = Set(certificate.subjectAlternativeNames.map(\.description))
        guard csrNames == certificateNames else {
            let expected = certificateNames.sorted().joined(separator: ", ")
            let found = csrNames.sorted().joined(separator: ", ")
            throw ESTError.forbidden(
                "the CSR subjectAltName [\(found)] does not match [\(expected)] of the certificate being renewed")
        }
    }

    /// The profile's name for the kind of a subjectAltName entry.
    static func kind(of name: GeneralName) -> String {
        switch name {
        case .dns: "dns"
        case .ipAddress: "ip"
        case .uri: "uri"
        case .email: "email"
        case .other: "other"
        }
    }
}
