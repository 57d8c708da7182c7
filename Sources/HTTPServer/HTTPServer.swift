import Logging

/// A TLS listener running HTTP/1.1 over epoll event loops, with handlers on a thread pool.
public final class HTTPServer: Sendable {
    public let configuration: Configuration
    let handler: any HTTPRequestHandler
    let logger: Logger

    public init(configuration: Configuration, handler: some HTTPRequestHandler, logger: Logger) throws {
        self.configuration = configuration
        self.handler = handler
        self.logger = logger
    }

    /// Binds every listen address and starts the loops; returns the bound addresses.
    public func start() throws -> [ListenAddress] {
        // TODO: the event loops land in the next change; until then the server cannot start.
        throw HTTPServerError(.invalidConfiguration, "the event loops are not implemented yet")
    }

    public func shutdown() {}

    public func waitUntilStopped() {}

    public func runUntilSignal() {}
}
