import Logging
import Synchronization

/// The state every event loop shares: policy, the handler and its threads, and the connection counters.
final class ServerCore: Sendable {
    let limits: HTTPLimits
    let tlsContext: TLSContext
    let handler: any HTTPRequestHandler
    let handlerPool: HandlerThreadPool
    let logger: Logger
    let peerMistakes = RepeatLimiter()

    let openConnections = Atomic<Int>(0)
    private let lastConnectionID = Atomic<UInt64>(0)

    init(limits: HTTPLimits, tlsContext: TLSContext, handler: any HTTPRequestHandler, handlerThreadCount: Int, logger: Logger) {
        self.limits = limits
        self.tlsContext = tlsContext
        self.handler = handler
        self.handlerPool = HandlerThreadPool(threadCount: handlerThreadCount)
        self.logger = logger
    }

    func makeConnectionID() -> UInt64 {
        lastConnectionID.add(1, ordering: .relaxed).newValue
    }

    /// Makes a random 12-hex-digit id. Collisions are unlikely below millions of requests, and
    /// the connection id in the access log distinguishes any two that collide.
    func makeRequestID() -> String {
        let value = UInt64.random(in: 0..<(1 << 48))
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 12 - hex.count) + hex
    }

    /// Logs a peer's mistake at `level` unless the same kind was logged too often lately.
    func logPeerMistake(_ level: Logger.Level, _ message: String, kind: String, metadata: Logger.Metadata) {
        guard let suppressed = peerMistakes.admit(kind) else {
            return
        }
        var metadata = metadata
        if suppressed > 0 {
            metadata["repeats.suppressed"] = String(suppressed)
        }
        logger.log(level: level, message, metadata: metadata)
    }
}
