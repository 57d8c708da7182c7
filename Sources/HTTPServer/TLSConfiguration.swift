/// The server's TLS policy: TLS 1.2 minimum, TLS 1.2 suites limited to ECDHE with AES-GCM or
/// ChaCha20-Poly1305, session resumption on unless turned off, ALPN `http/1.1`.
public struct TLSConfiguration: Sendable {
    /// How the server asks for a client certificate.
    public enum ClientCertificateMode: Sendable, Equatable {
        /// No certificate request is sent.
        case none

        /// A certificate is requested; a missing or unverifiable one does not fail the handshake.
        /// The verification result reaches the handler in `ConnectionContext`, so a caller can
        /// apply its own trust anchors.
        case request

        /// A certificate that verifies against `trustAnchorsPath` is required to finish the handshake.
        case require
    }

    /// PEM file with the server certificate first, then its intermediates.
    public var certificateChainPath: String

    /// PEM file with the ECDSA or RSA private key of the server certificate.
    public var privateKeyPath: String

    public var clientCertificateMode: ClientCertificateMode

    /// PEM bundle that OpenSSL verifies client certificates against; its subjects are also sent
    /// as the acceptable CA names. Required with `.require`.
    public var trustAnchorsPath: String?

    /// With `.request`, whether OpenSSL verifies the client's chain against `trustAnchorsPath`
    /// during the handshake. A handler that verifies chains against anchors of its own turns this
    /// off, so that no chain is verified twice. `ConnectionContext.peerCertificateVerified` is then
    /// false. The client still has to prove possession of the certificate's key.
    public var verifiesRequestedCertificates = true

    /// Whether clients can resume sessions, through a ticket sent after each TLS 1.3 handshake and
    /// each full TLS 1.2 handshake. The server keeps no session cache. Turning it off spares each full handshake the ticket, which
    /// clients that never resume discard.
    public var sessionResumption = true

    public init(
        certificateChainPath: String,
        privateKeyPath: String,
        clientCertificateMode: ClientCertificateMode = .request,
        trustAnchorsPath: String? = nil
    ) {
        self.certificateChainPath = certificateChainPath
        self.privateKeyPath = privateKeyPath
        self.clientCertificateMode = clientCertificateMode
        self.trustAnchorsPath = trustAnchorsPath
    }
}
