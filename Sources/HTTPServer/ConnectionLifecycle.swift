/// The stages of one connection and their deadlines, with time passed in so that it can be
/// tested without sockets or clocks. The event loop reports events to it and reads back the
/// action for a passed deadline.
struct ConnectionLifecycle: Sendable {
    typealias Instant = ContinuousClock.Instant

    enum State: Sendable, Equatable {
        case handshaking(since: Instant)
        /// Between requests, with no byte of the next one yet. The first request of a connection
        /// is held to the header read timeout, and later ones to the idle timeout.
        case awaitingRequest(since: Instant, isFirst: Bool)
        case readingHead(since: Instant)
        case readingBody(lastProgress: Instant)
        case waitingForHandler
        case writing(lastProgress: Instant, closeAfter: Bool)
        case closed
    }

    /// The event loop's action once a deadline has passed.
    enum TimeoutAction: Sendable, Equatable {
        case none
        case close
        /// Send 408 Request Timeout, then close.
        case respondRequestTimeout
    }

    /// How long a connection closed after an error keeps reading and dropping the peer's bytes.
    static let lingeringCloseTimeout: Duration = .seconds(2)

    let limits: HTTPLimits
    private(set) var state: State

    init(limits: HTTPLimits, acceptedAt now: Instant) {
        self.limits = limits
        self.state = .handshaking(since: now)
    }

    var isReading: Bool {
        switch state {
        case .awaitingRequest, .readingHead, .readingBody: true
        default: false
        }
    }

    /// True when closing now loses no request: nothing of a next request has arrived.
    var isIdle: Bool {
        switch state {
        case .handshaking, .awaitingRequest: true
        default: false
        }
    }

    var deadline: Instant? {
        switch state {
        case .handshaking(let since): since + limits.handshakeTimeout
        case .awaitingRequest(let since, true): since + limits.headerReadTimeout
        case .awaitingRequest(let since, false): since + limits.idleTimeout
        case .readingHead(let since): since + limits.headerReadTimeout
        case .readingBody(let lastProgress): lastProgress + limits.idleTimeout
        case .writing(let lastProgress, _): lastProgress + limits.idleTimeout
        case .waitingForHandler, .closed: nil
        }
    }

    func timeoutAction(at now: Instant) -> TimeoutAction {
        guard let deadline, now >= deadline else {
            return .none
        }
        switch state {
        case .awaitingRequest(_, true), .readingHead, .readingBody: return .respondRequestTimeout
        case .awaitingRequest(_, false), .handshaking, .writing: return .close
        case .waitingForHandler, .closed: return .none
        }
    }

    mutating func handshakeCompleted(at now: Instant) {
        state = .awaitingRequest(since: now, isFirst: true)
    }

    /// Bytes of a request head arrived; the header read timeout runs from the first of them,
    /// or from the handshake for the first request.
    mutating func headBytesReceived(at now: Instant) {
        switch state {
        case .awaitingRequest(let since, true): state = .readingHead(since: since)
        case .awaitingRequest: state = .readingHead(since: now)
        default: break
        }
    }

    mutating func headCompleted(at now: Instant) {
        state = .readingBody(lastProgress: now)
    }

    mutating func bodyBytesReceived(at now: Instant) {
        if case .readingBody = state {
            state = .readingBody(lastProgress: now)
        }
    }

    mutating func requestCompleted() {
        state = .waitingForHandler
    }

    mutating func responseStarted(at now: Instant, closeAfter: Bool) {
        state = .writing(lastProgress: now, closeAfter: closeAfter)
    }

    /// The response is fully written; returns false when the connection must close now.
    mutating func responseFinished(at now: Instant) -> Bool {
        guard case .writing(_, let closeAfter) = state, !closeAfter else {
            state = .closed
            return false
        }
        state = .awaitingRequest(since: now, isFirst: false)
        return true
    }

    mutating func close() {
        state = .closed
    }
}
