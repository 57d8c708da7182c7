import Foundation

/// Settings shared by every connection a client opens.
public struct TLSClientConfiguration: Sendable {
    /// The check applied to the server certificate.
    public enum ServerVerification: Sendable, Equatable {
        /// Verify the chain against the PEM trust anchors in this file and check the server name.
        case caFile(String)
        /// Accept any server certificate. Only for load tests against a local server; a client
        /// configured this way cannot tell the gateway from an impostor.
        case insecureNoVerification
    }

    /// A certificate (PEM, leaf first, optionally followed by intermediates) and its private key.
    public struct ClientIdentity: Sendable, Equatable {
        public var certificateChainFile: String
        public var privateKeyFile: String

        public init(certificateChainFile: String, privateKeyFile: String) {
            self.certificateChainFile = certificateChainFile
            self.privateKeyFile = privateKeyFile
        }
    }

    public enum ProtocolVersion: Sendable, Equatable {
        case tls12
        case tls13
    }

    public var serverVerification: ServerVerification
    public var clientIdentity: ClientIdentity?
    public var minimumVersion: ProtocolVersion = .tls12
    /// Highest version offered; nil offers the newest the library supports.
    public var maximumVersion: ProtocolVersion?
    public var connectTimeout: TimeInterval = 10
    /// Limit on each blocking read or write once connected.
    public var ioTimeout: TimeInterval = 30

    public init(serverVerification: ServerVerification, clientIdentity: ClientIdentity? = nil) {
        self.serverVerification = serverVerification
        self.clientIdentity = clientIdentity
    }
}
