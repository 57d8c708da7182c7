/// The HTTP versions the server supports. A request with any other version gets 505.
public enum HTTPVersion: Sendable, Equatable, CustomStringConvertible {
    case http1_0
    case http1_1

    public var description: String {
        switch self {
        case .http1_0: "HTTP/1.0"
        case .http1_1: "HTTP/1.1"
        }
    }
}

/// A complete request: head and the whole decoded body.
public struct HTTPRequest: Sendable, Equatable {
    public var method: String

    /// The request target exactly as sent on the request line.
    public var target: String

    /// The percent-decoded path of the target; an invalid escape was rejected with 400.
    public var path: String

    /// The raw query after `?`, still percent-encoded; nil when the target has no `?`.
    public var query: String?

    public var version: HTTPVersion
    public var headers: HTTPHeaders

    /// The body after any chunked transfer coding was removed.
    public var body: [UInt8]

    public init(
        method: String,
        target: String,
        path: String,
        query: String? = nil,
        version: HTTPVersion = .http1_1,
        headers: HTTPHeaders = HTTPHeaders(),
        body: [UInt8] = []
    ) {
        self.method = method
        self.target = target
        self.path = path
        self.query = query
        self.version = version
        self.headers = headers
        self.body = body
    }
}
