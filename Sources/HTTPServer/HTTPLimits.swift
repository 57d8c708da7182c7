/// Every size and time limit the server enforces, with its default and the status a peer gets
/// when it crosses it.
public struct HTTPLimits: Sendable, Equatable {
    /// Longest request line, in bytes, including the line ending. Default 8 KiB; longer is 414.
    public var maximumRequestLineLength: Int = 8 * 1024

    /// Largest header section (and chunked trailer section), in bytes. Default 16 KiB; larger is 431.
    public var maximumHeaderBytes: Int = 16 * 1024

    /// Largest request body, in bytes, unless the handler sets a per-route limit. Default 64 KiB;
    /// larger is 413, sent before the body is read when the length is declared.
    public var maximumBodyBytes: Int = 64 * 1024

    /// Time allowed from the end of the handshake, or from the first byte of a later request, to
    /// the end of the header section. Default 10 s; then 408 and the connection is closed.
    public var headerReadTimeout: Duration = .seconds(10)

    /// Time a keep-alive connection may wait for its next request, and the longest pause while a
    /// body is read or a response is written. Default 60 s.
    public var idleTimeout: Duration = .seconds(60)

    /// Time allowed for the TLS handshake after accept. Default 10 s; then the connection is closed.
    public var handshakeTimeout: Duration = .seconds(10)

    /// Open connections across all event loops. Default 10,000; a connection beyond it is accepted
    /// and closed at once so that it does not wait in the kernel backlog, and existing ones keep working.
    public var maximumConnections: Int = 10_000

    /// Time `shutdown()` gives in-flight requests to finish before closing their connections. Default 10 s.
    public var shutdownGracePeriod: Duration = .seconds(10)

    public init() {}
}
