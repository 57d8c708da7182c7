import PKI

/// The enrolling client: its device and how it authenticated.
struct ESTClientIdentity: Sendable {
    var device: DeviceIdentity?
    /// The TLS client certificate, when one verified against the domain's anchors or the gateway's CAs.
    var clientCertificate: Certificate?
    /// True when the client certificate chains to the gateway's own issuing CA.
    var clientCertificateIssuedByGateway: Bool
    var authenticatedWithBasic: Bool
}
