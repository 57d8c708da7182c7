/// The facts about the peer that the connection has, passed to the handler with every request.
public struct ConnectionContext: Sendable {
    public var connectionID: UInt64

    /// A short id unique to this request; the access log line carries the same id.
    public var requestID: String

    /// The peer's IP address and port, as `192.0.2.1:50000` or `[2001:db8::1]:50000`.
    public var remoteAddress: String

    /// `TLSv1.2` or `TLSv1.3`.
    public var tlsVersion: String

    /// The negotiated cipher suite in OpenSSL's naming.
    public var cipher: String

    /// The client certificates in DER, leaf first, as the client sent them; empty when it sent none.
    public var peerCertificateChain: [[UInt8]]

    /// The certificates of `peerCertificateChain`, in the same order, as OpenSSL decoded them in
    /// the handshake or from the session ticket. Nil when none was sent.
    public var peerCertificates: PeerCertificates?

    /// True only when the chain verified against the configured trust anchors. Always false when
    /// `TLSConfiguration.verifiesRequestedCertificates` is off.
    public var peerCertificateVerified: Bool

    /// OpenSSL's verification error for a certificate that did not verify. Nil when none was sent,
    /// when it verified, or when it was not verified.
    public var peerVerificationError: String?

    /// OpenSSL's verification result code for the handshake (`SSL_get_verify_result`), which
    /// stays X509_V_OK (0) when the chain is left to the handler. Tests read it.
    package var handshakeVerifyResult = 0

    /// The tls-unique channel binding (RFC 5929): on TLS 1.2 the first Finished message of the
    /// handshake, 12 bytes. Nil on TLS 1.3, where it is undefined.
    public var tlsUnique: [UInt8]?

    /// The tls-exporter channel binding (RFC 9266): on TLS 1.3 32 bytes exported with the label
    /// `EXPORTER-Channel-Binding` and no context. Nil on TLS 1.2, where it is unsafe without
    /// extended master secret.
    public var tlsExporter: [UInt8]?

    public init(
        connectionID: UInt64,
        requestID: String,
        remoteAddress: String,
        tlsVersion: String,
        cipher: String,
        peerCertificateChain: [[UInt8]] = [],
        peerCertificates: PeerCertificates? = nil,
        peerCertificateVerified: Bool = false,
        peerVerificationError: String? = nil,
        tlsUnique: [UInt8]? = nil,
        tlsExporter: [UInt8]? = nil
    ) {
        self.connectionID = connectionID
        self.requestID = requestID
        self.remoteAddress = remoteAddress
        self.tlsVersion = tlsVersion
        self.cipher = cipher
        self.peerCertificateChain = peerCertificateChain
        self.peerCertificates = peerCertificates
        self.peerCertificateVerified = peerCertificateVerified
        self.peerVerificationError = peerVerificationError
        self.tlsUnique = tlsUnique
        self.tlsExporter = tlsExporter
    }
}
