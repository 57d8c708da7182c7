/// How devices of a domain prove who they are.
public enum DomainAuthentication: String, CaseIterable, Sendable {
    /// HTTP Basic against the device's stored credential.
    case basic
    /// A TLS client certificate that verifies against the domain's trust anchors.
    case certificate
    /// Either of the two.
    case certificateOrBasic = "certificate-or-basic"
    /// Both: a verified client certificate and Basic credentials of the same device.
    case certificateAndBasic = "certificate-and-basic"

    var allowsBasic: Bool { self != .certificate }
    var allowsCertificate: Bool { self != .basic }
}
