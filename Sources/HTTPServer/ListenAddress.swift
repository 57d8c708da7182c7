import Glibc

/// An IP address and TCP port the server listens on.
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    /// An IPv4 or IPv6 literal, without brackets.
    public var host: String

    /// The TCP port; 0 asks the kernel for an ephemeral port, which `HTTPServer.start()` reports.
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `127.0.0.1:8443` or `[::1]:8443`; IPv6 literals must be bracketed.
    public init(parsing text: String) throws(HTTPServerError) {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                throw HTTPServerError(.invalidListenAddress, "listen address \(text) has no closing bracket")
            }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else {
                throw HTTPServerError(.invalidListenAddress, "listen address \(text) has no port after the bracketed host")
            }
            portText = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                throw HTTPServerError(.invalidListenAddress, "listen address \(text) has no port; expected host:port")
            }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            guard !host.contains(":") else {
                throw HTTPServerError(.invalidListenAddress, "listen address \(text) has an IPv6 host without brackets; expected [host]:port")
            }
        }

        guard let port = Int(portText), (0...65535).contains(port) else {
            throw HTTPServerError(.invalidListenAddress, "listen address \(text) has an invalid port \(portText); expected 0 to 65535")
        }
        guard ListenAddress.family(of: String(host)) != nil else {
            throw HTTPServerError(.invalidListenAddress, "listen address \(text) has host \(host), which is not an IPv4 or IPv6 address")
        }
        self.host = String(host)
        self.port = port
    }

    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Returns `AF_INET` or `AF_INET6` for an IP literal, or nil for anything else.
    static func family(of host: String) -> Int32? {
        var ipv4 = in_addr()
        if inet_pton(AF_INET, host, &ipv4) == 1 {
            return AF_INET
        }
        var ipv6 = in6_addr()
        if inet_pton(AF_INET6, host, &ipv6) == 1 {
            return AF_INET6
        }
        return nil
    }
}
