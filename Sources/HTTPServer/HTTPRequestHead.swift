/// The framing that gives the length of a request body (RFC 9112 section 6).
public enum HTTPBodyFraming: Sendable, Equatable {
    case none
    case contentLength(Int)
    case chunked
}

/// The request line and header section of a request, before its body is read.
public struct HTTPRequestHead: Sendable {
    public var method: String
    public var target: String
    public var path: String
    public var query: String?
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    public var framing: HTTPBodyFraming

    /// True when an HTTP/1.1 client sent `Expect: 100-continue` and waits before sending the body.
    public var expectsContinue: Bool

    /// False when the connection closes after this request: `Connection: close`, or HTTP/1.0
    /// without `Connection: keep-alive`.
    public var keepAlive: Bool
}
