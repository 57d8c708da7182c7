import COpenSSL
import Glibc
import Logging

/// One accepted TLS connection, driven by its event loop's thread only.
///
/// Every epoll event, handler response and timer tick calls `drive`, which moves the connection
/// as far as it can without blocking: handshake, flush queued writes, read and parse.
final class Connection {
    /// A request handed to the handler pool whose response has not been written yet.
    struct InFlightRequest {
        let requestID: String
        let method: String
        let path: String
        let startedAt: ContinuousClock.Instant
        var status = 0
        var bodyBytes = 0
    }

    let id: UInt64
    let socket: Socket
    let remoteAddress: SocketAddress
    unowned let loop: EventLoop

    private let tls: TLSConnection
    private var lifecycle: ConnectionLifecycle
    private var parser: HTTPRequestParser
    private var session: TLSSessionInfo?
    private var head: HTTPRequestHead?
    private var inFlight: InFlightRequest?

    /// Buffers waiting for SSL_write, each sent whole by one call.
    private var outbound: [[UInt8]] = []
    private var writeBlockedOn: TLSConnection.Outcome?
    private var readBlockedOnWrite = false
    private var handshakeWantsWrite = false
    private var lingeringSince: ContinuousClock.Instant?

    /// Set when a response rejects a request that was not read whole, so closing must linger.
    private var mustLinger = false

    /// The epoll events currently registered for the socket.
    var registeredEvents: UInt32 = 0

    private(set) var isClosed = false

    init(id: UInt64, socket: Socket, remoteAddress: SocketAddress, loop: EventLoop, now: ContinuousClock.Instant) throws(HTTPServerError) {
        self.id = id
        self.socket = socket
        self.remoteAddress = remoteAddress
        self.loop = loop
        self.tls = try TLSConnection(context: loop.core.tlsContext, socket: socket.descriptor)
        self.lifecycle = ConnectionLifecycle(limits: loop.core.limits, acceptedAt: now)
        self.parser = HTTPRequestParser(limits: loop.core.limits)
    }

    private var core: ServerCore { loop.core }

    var isIdle: Bool { lifecycle.isIdle && outbound.isEmpty }

    var deadline: ContinuousClock.Instant? {
        if let lingeringSince {
            return lingeringSince + ConnectionLifecycle.lingeringCloseTimeout
        }
        return lifecycle.deadline
    }

    /// The epoll events the connection needs next.
    var desiredEvents: UInt32 {
        if isClosed {
            return 0
        }
        if lingeringSince != nil {
            return EPOLLIN.rawValue
        }
        if case .handshaking = lifecycle.state {
            return handshakeWantsWrite ? EPOLLOUT.rawValue : EPOLLIN.rawValue
        }

        var events: UInt32 = 0
        if !outbound.isEmpty {
            events |= writeBlockedOn == .wantRead ? EPOLLIN.rawValue : EPOLLOUT.rawValue
        }
        if lifecycle.isReading {
            events |= readBlockedOnWrite ? EPOLLOUT.rawValue : EPOLLIN.rawValue
        }
        return events
    }

    func drive(now: ContinuousClock.Instant, buffer: inout [UInt8]) {
        if lingeringSince != nil {
            discardInput(buffer: &buffer)
            return
        }
        if case .handshaking = lifecycle.state, !continueHandshake(now: now) {
            return
        }

        while !isClosed {
            guard flushOutbound(now: now) else {
                return
            }
            if case .writing = lifecycle.state, outbound.isEmpty {
                finishResponse(now: now)
                continue
            }
            guard lifecycle.isReading else {
                return
            }
            guard processBufferedInput(now: now), lifecycle.isReading, outbound.isEmpty else {
                continue
            }
            guard readMore(now: now, buffer: &buffer) else {
                return
            }
        }
    }

    /// Writes the handler's response for the request in flight.
    func respond(_ response: HTTPResponse, now: ContinuousClock.Instant) {
        guard !isClosed, case .waitingForHandler = lifecycle.state, let head else {
            return
        }
        let keepAlive = head.keepAlive && !loop.isDraining
        enqueueResponse(response, keepAlive: keepAlive, omitBody: head.method == "HEAD", now: now)
    }

    func handleTimeout(now: ContinuousClock.Instant) {
        if let lingeringSince {
            if now >= lingeringSince + ConnectionLifecycle.lingeringCloseTimeout {
                close()
            }
            return
        }

        switch lifecycle.timeoutAction(at: now) {
        case .none:
            return
        case .close:
            if case .handshaking = lifecycle.state {
                core.logPeerMistake(.debug, "TLS handshake timed out", kind: "handshake-timeout", metadata: ["remote": "\(remoteAddress)"])
            }
            close()
        case .respondRequestTimeout:
            core.logPeerMistake(.debug, "request timed out", kind: "request-timeout", metadata: ["remote": "\(remoteAddress)"])
            enqueueRejection(status: 408, reason: "The request was not received in time.", now: now)
        }
    }

    /// Closes the socket now; in-flight responses are dropped.
    func close() {
        guard !isClosed else {
            return
        }
        isClosed = true
        if session != nil {
            tls.sendCloseNotify()
        }
        lifecycle.close()
        loop.connectionClosed(self)
        socket.close()
    }

    // MARK: - Steps

    private func continueHandshake(now: ContinuousClock.Instant) -> Bool {
        switch tls.handshake() {
        case .done:
            session = tls.sessionInfo(chainVerified: loop.core.tlsContext.verifiesClientChains)
            lifecycle.handshakeCompleted(at: now)
            return true
        case .wantRead:
            handshakeWantsWrite = false
            return false
        case .wantWrite:
            handshakeWantsWrite = true
            return false
        case .closed:
            close()
            return false
        case .failed(let reason):
            core.logPeerMistake(
                .debug, "TLS handshake failed", kind: "handshake-failed",
                metadata: ["remote": "\(remoteAddress)", "error": reason])
            close()
            return false
        }
    }

    /// Sends queued buffers; returns false when the connection must wait or has closed.
    private func flushOutbound(now: ContinuousClock.Instant) -> Bool {
        while let next = outbound.first {
            let outcome = tls.write(next)
            switch outcome {
            case .done:
                outbound.removeFirst()
                writeBlockedOn = nil
                if case .writing(_, let closeAfter) = lifecycle.state {
                    lifecycle.responseStarted(at: now, closeAfter: closeAfter)
                }
            case .wantRead:
                writeBlockedOn = .wantRead
                return false
            case .wantWrite:
                writeBlockedOn = .wantWrite
                return false
            case .closed, .failed:
                closeAfterTLSEnd(outcome, operation: "write")
                return false
            }
        }
        return true
    }

    /// Reads one TLS record's worth of data into the parser; returns false when the socket has
    /// nothing more or the connection closed.
    private func readMore(now: ContinuousClock.Instant, buffer: inout [UInt8]) -> Bool {
        readBlockedOnWrite = false
        let outcome = tls.read(into: &buffer)
        switch outcome {
        case .done(let count):
            parser.append(buffer[0..<count])
            return true
        case .wantRead:
            return false
        case .wantWrite:
            readBlockedOnWrite = true
            return false
        case .closed, .failed:
            closeAfterTLSEnd(outcome, operation: "read")
            return false
        }
    }

    /// Closes after the peer ended the connection, logging the TLS error if there was one.
    private func closeAfterTLSEnd(_ outcome: TLSConnection.Outcome, operation: String) {
        if case .failed(let reason) = outcome {
            core.logPeerMistake(
                .debug, "TLS \(operation) failed", kind: "\(operation)-failed",
                metadata: ["remote": "\(remoteAddress)", "error": reason])
        }
        close()
    }

    /// Feeds buffered bytes through the parser; returns false when it stopped on an event that
    /// changed the state (a complete request or a rejection).
    private func processBufferedInput(now: ContinuousClock.Instant) -> Bool {
        do {
            while let event = try parser.next() {
                switch event {
                case .head(let newHead):
                    try startBody(of: newHead, now: now)
                case .request(let request):
                    dispatch(request, now: now)
                    return false
                }
            }
        } catch {
            core.logPeerMistake(
                .debug, "request rejected", kind: "rejected-\(error.status)",
                metadata: ["remote": "\(remoteAddress)", "status": String(error.status), "reason": error.reason])
            enqueueRejection(status: error.status, reason: error.reason, now: now)
            return false
        }

        if parser.isReadingHead {
            lifecycle.headBytesReceived(at: now)
        } else {
            lifecycle.bodyBytesReceived(at: now)
        }
        return true
    }

    private func startBody(of newHead: HTTPRequestHead, now: ContinuousClock.Instant) throws(HTTPParseError) {
        head = newHead
        lifecycle.headCompleted(at: now)
        let limit = core.handler.maximumBodyBytes(method: newHead.method, path: newHead.path)
        try parser.startBody(maximumBytes: limit)

        // RFC 9110 section 10.1.1: the client waits for 100 before sending the body. A rejected
        // head never gets here, so it receives only the final status.
        if newHead.expectsContinue && newHead.framing != .none && newHead.framing != .contentLength(0) {
            outbound.append(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
        }
    }

    private func dispatch(_ request: HTTPRequest, now: ContinuousClock.Instant) {
        lifecycle.requestCompleted()
        let requestID = core.makeRequestID()
        inFlight = InFlightRequest(requestID: requestID, method: request.method, path: request.path, startedAt: now)

        // The handshake finished before any request could be parsed, so the session is set.
        let session = session ?? TLSSessionInfo(
            version: "", cipher: "", peerCertificateChain: [], peerCertificateVerified: false, verifyResult: 0)
        var context = ConnectionContext(
            connectionID: id, requestID: requestID, remoteAddress: "\(remoteAddress)", tlsVersion: session.version,
            cipher: session.cipher, peerCertificateChain: session.peerCertificateChain,
            peerCertificates: session.peerCertificates, peerCertificateVerified: session.peerCertificateVerified, peerVerificationError: session.peerVerificationError,
            tlsUnique: session.tlsUnique, tlsExporter: session.tlsExporter)
        context.handshakeVerifyResult = session.verifyResult
        loop.dispatch(request, context: context, connectionID: id)
    }

    private func enqueueResponse(_ response: HTTPResponse, keepAlive: Bool, omitBody: Bool, now: ContinuousClock.Instant) {
        let date = HTTPResponse.httpDate(time(nil))
        let serialized = response.serialized(keepAlive: keepAlive, omitBody: omitBody, date: date)
        if !serialized.droppedFields.isEmpty {
            core.logger.error(
                "response header fields dropped because they would break framing",
                metadata: ["fields": serialized.droppedFields.joined(separator: ","), "http.request.id": inFlight?.requestID ?? ""])
        }

        inFlight?.status = response.status
        inFlight?.bodyBytes = response.body.count
        outbound.append(serialized.bytes)
        lifecycle.responseStarted(at: now, closeAfter: !keepAlive)
    }

    /// Queues the error response for a request rejected before it was read whole; the connection closes after it.
    private func enqueueRejection(status: Int, reason: String, now: ContinuousClock.Instant) {
        inFlight = nil
        enqueueResponse(.text(status, reason), keepAlive: false, omitBody: false, now: now)
        mustLinger = true
    }

    private func finishResponse(now: ContinuousClock.Instant) {
        logAccess(now: now)
        inFlight = nil
        head = nil

        guard lifecycle.responseFinished(at: now), !loop.isDraining else {
            if mustLinger {
                startLingeringClose(now: now)
            } else {
                close()
            }
            return
        }
    }

    private func logAccess(now: ContinuousClock.Instant) {
        guard let inFlight, let session else {
            return
        }
        core.logger.info("request completed", metadata: accessMetadata(inFlight, session: session, now: now))
    }

    /// Builds the access line's metadata. The logger calls this only for info lines it writes, so
    /// at warning level a request builds none of it.
    private func accessMetadata(_ inFlight: InFlightRequest, session: TLSSessionInfo, now: ContinuousClock.Instant) -> Logger.Metadata {
        let duration = now - inFlight.startedAt
        let milliseconds = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        var metadata: Logger.Metadata = [
            "http.request.id": inFlight.requestID,
            "connection.id": String(id),
            "remote": "\(remoteAddress)",
            "tls.version": session.version,
            "tls.cipher": session.cipher,
            "method": inFlight.method,
            "path": inFlight.path,
            "status": String(inFlight.status),
            "bytes": String(inFlight.bodyBytes),
            "duration_ms": String((milliseconds * 10).rounded() / 10),
        ]
        if let subject = session.peerCertificateSubject {
            metadata["client.subject"] = subject
        }
        return metadata
    }

    /// Sends close_notify and half-closes, then reads and drops what the peer still sends for a
    /// short time, so that unread request bytes do not make the kernel reset the connection
    /// before the peer has read the error response.
    private func startLingeringClose(now: ContinuousClock.Instant) {
        tls.sendCloseNotify()
        session = nil
        _ = shutdown(socket.descriptor, Int32(SHUT_WR))
        lingeringSince = now
    }

    private func discardInput(buffer: inout [UInt8]) {
        while true {
            let count = buffer.withUnsafeMutableBytes { read(socket.descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                continue
            }
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
                return
            }
            close()
            return
        }
    }
}
