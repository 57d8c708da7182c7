/// The application behind the server.
///
/// `handle` runs on one of the handler threads, never on an event loop, so it may block on a
/// database or a private-key operation. Calls for different connections run concurrently.
public protocol HTTPRequestHandler: Sendable {
    func handle(_ request: HTTPRequest, context: ConnectionContext) -> HTTPResponse

    /// The body limit for a route, or nil for `HTTPLimits.maximumBodyBytes`. It is asked once the
    /// head is parsed, on the event loop, so it must be quick and must not block.
    func maximumBodyBytes(method: String, path: String) -> Int?
}

extension HTTPRequestHandler {
    public func maximumBodyBytes(method: String, path: String) -> Int? {
        nil
    }
}
