/// The server address, credentials and connection policy of an EST client.
public struct ESTClientConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Name checked against the server certificate and sent in SNI; defaults to `host`.
    public var serverName: String?
    public var tls: TLSClientConfiguration
    /// `domain` or `domain/profile`, placed between `/.well-known/est/` and the operation
    /// (RFC 7030 §3.2.2). Nil addresses the server's default.
    public var label: String?
    public var credentials: BasicCredentials?
    /// Keep one connection open across requests; off by default because devices usually
    /// connect once per request.
    public var keepAlive = false
    /// Offer the previous connection's TLS session on each new connection.
    public var resumesSessions = false

    public init(host: String, port: Int, tls: TLSClientConfiguration) {
        self.host = host
        self.port = port
        self.tls = tls
    }

    /// Checks the label: one or two path segments of letters, digits, `-`, `_` and `.`.
    func validate() throws(ESTClientError) {
        guard let label else {
            return
        }
        let segments = label.split(separator: "/", omittingEmptySubsequences: false)
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
        let valid = (1...2).contains(segments.count)
            && segments.allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." && $0.allSatisfy(allowed.contains) }
        guard valid else {
            throw ESTClientError(
                .invalidConfiguration,
                "invalid EST label \"\(label)\": expected domain or domain/profile made of letters, digits, '-', '_' and '.'")
        }
    }
}

/// A username and password sent with HTTP Basic authentication (RFC 7617).
public struct BasicCredentials: Sendable, Equatable {
    public var username: String
    public var password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }
}
