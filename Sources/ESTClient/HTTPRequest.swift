/// An HTTP/1.1 request with a body sent with Content-Length.
public struct HTTPRequest: Sendable, Equatable {
    public var method: String
    /// Origin-form target, starting with `/`.
    public var path: String
    /// Extra header fields in sending order; Host, Content-Length and Connection are added.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(method: String, path: String, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
    }

    public static func == (left: HTTPRequest, right: HTTPRequest) -> Bool {
        left.method == right.method && left.path == right.path && left.body == right.body
            && left.headers.elementsEqual(right.headers) { $0.name == $1.name && $0.value == $1.value }
    }

    /// Serializes the request. A non-empty body, and any POST or PUT body even when empty, gets a
    /// Content-Length so the server can find where it ends.
    func serialized(host: String, keepAlive: Bool) -> [UInt8] {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host)\r\n"
        for header in headers {
            head += "\(header.name): \(header.value)\r\n"
        }
        if !body.isEmpty || method == "POST" || method == "PUT" {
            head += "Content-Length: \(body.count)\r\n"
        }
        head += "Connection: \(keepAlive ? "keep-alive" : "close")\r\n\r\n"
        return Array(head.utf8) + body
    }
}
