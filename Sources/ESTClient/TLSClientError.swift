/// A failure to reach the server or to exchange bytes with it over TLS.
public struct TLSClientError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        /// A certificate, key or CA file could not be loaded, or a setting was rejected by OpenSSL.
        case configuration
        /// The host name did not resolve to an address.
        case resolution
        case connectionFailed
        case timedOut
        /// The server certificate did not verify against the trust anchors or the expected name.
        case verificationFailed
        case handshakeFailed
        /// The peer closed the connection before the exchange was complete.
        case connectionClosed
        case ioFailed
    }

    public var code: Code
    /// A sentence naming the failed step and its endpoint or file, followed by every queued OpenSSL error.
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
