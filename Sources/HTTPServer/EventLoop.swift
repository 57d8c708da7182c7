import COpenSSL
import Dispatch
import Foundation
import Glibc
import Logging
import Synchronization

/// One epoll thread that accepts connections and runs all their socket and TLS work.
///
/// `@unchecked Sendable`: everything but `mailbox` is touched only on the loop's own thread;
/// other threads reach the loop only through `post`, which takes the mailbox lock.
final class EventLoop: @unchecked Sendable {
    enum Message: Sendable {
        case response(connectionID: UInt64, HTTPResponse)
        case beginShutdown(deadline: ContinuousClock.Instant, listenersReleased: DispatchSemaphore)
    }

    private struct Mailbox {
        var messages: [Message] = []
        var isRunning = true
    }

    private static let wakeupTag = UInt64.max
    private static let timerInterval: Int32 = 100

    let core: ServerCore
    private let epoll: Int32
    private let wakeup: Int32
    private let listeners: [Socket]
    private let mailbox = Mutex(Mailbox())
    private var connections: [UInt64: Connection] = [:]
    private var drainDeadline: ContinuousClock.Instant?
    private var readBuffer = [UInt8](repeating: 0, count: 16 * 1024)

    var isDraining: Bool { drainDeadline != nil }

    init(core: ServerCore, listeners: [Socket]) throws(HTTPServerError) {
        self.core = core
        self.listeners = listeners
        do {
            epoll = try SystemCall.run("epoll_create1") { epoll_create1(Int32(EPOLL_CLOEXEC)) }
        } catch {
            throw HTTPServerError(.systemCall, "creating an event loop failed: \(error)")
        }
        do {
            wakeup = try SystemCall.run("eventfd") { eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC)) }
            try register(wakeup, events: EPOLLIN.rawValue, tag: Self.wakeupTag)
            for (index, listener) in listeners.enumerated() {
                // EPOLLEXCLUSIVE wakes one loop per incoming connection instead of all of them.
                try register(listener.descriptor, events: EPOLLIN.rawValue | EPOLLEXCLUSIVE.rawValue, tag: Self.listenerTag(index))
            }
        } catch {
            _ = Glibc.close(epoll)
            throw HTTPServerError(.systemCall, "creating an event loop failed: \(error)")
        }
    }

    /// Sends a message to the loop from any thread; dropped once the loop has stopped.
    func post(_ message: Message) {
        // Only the message that finds the mailbox empty wakes the loop, and it does so after
        // releasing the lock, which the woken loop takes at once. The eventfd stays open until
        // deinit, so a post racing with stop() writes to it harmlessly.
        let wakesLoop = mailbox.withLock { mailbox in
            guard mailbox.isRunning else {
                return false
            }
            mailbox.messages.append(message)
            return mailbox.messages.count == 1
        }
        if wakesLoop {
            var one: UInt64 = 1
            _ = write(wakeup, &one, MemoryLayout<UInt64>.size)
        }
    }

    /// Runs until shutdown has drained every connection or the grace period ended.
    func run() {
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        var lastSweep = ContinuousClock.now

        while true {
            let count = epoll_wait(epoll, &events, Int32(events.count), Self.timerInterval)
            let now = ContinuousClock.now
            if count < 0 && errno != EINTR {
                core.logger.error("epoll_wait failed", metadata: ["error": String(cString: strerror(errno))])
                break
            }

            for index in 0..<max(0, Int(count)) {
                handle(tag: events[index].data.u64, now: now)
            }
            if now - lastSweep >= .milliseconds(Int(Self.timerInterval)) {
                sweepTimeouts(now: now)
                lastSweep = now
            }
            if let drainDeadline, connections.isEmpty || now >= drainDeadline {
                break
            }
        }

        stop()
    }

    /// Forgets a connection that is about to close its socket. No other descriptor refers to the
    /// socket, so closing it also removes it from epoll.
    func connectionClosed(_ connection: Connection) {
        if connections.removeValue(forKey: connection.id) != nil {
            core.openConnections.subtract(1, ordering: .relaxed)
        }
    }

    /// Runs the handler on the pool and posts its response back to this loop.
    func dispatch(_ request: HTTPRequest, context: ConnectionContext, connectionID: UInt64) {
        let handler = core.handler
        core.handlerPool.submit { [self] in
            let response = handler.handle(request, context: context)
            self.post(.response(connectionID: connectionID, response))
        }
    }

    // MARK: - Events

    private func handle(tag: UInt64, now: ContinuousClock.Instant) {
        if tag == Self.wakeupTag {
            drainMailbox(now: now)
        } else if let listenerIndex = Self.listenerIndex(tag), listenerIndex < listeners.count {
            acceptConnections(from: listeners[listenerIndex], now: now)
        } else if let connection = connections[tag] {
            drive(connection, now: now)
        }
    }

    private func drive(_ connection: Connection, now: ContinuousClock.Instant) {
        connection.drive(now: now, buffer: &readBuffer)
        updateRegistration(connection)
    }

    private func drainMailbox(now: ContinuousClock.Instant) {
        var counter: UInt64 = 0
        _ = read(wakeup, &counter, MemoryLayout<UInt64>.size)
        let messages = mailbox.withLock { mailbox in
            defer { mailbox.messages.removeAll() }
            return mailbox.messages
        }

        for message in messages {
            switch message {
            case .response(let connectionID, let response):
                guard let connection = connections[connectionID] else {
                    continue
                }
                connection.respond(response, now: now)
                drive(connection, now: now)
            case .beginShutdown(let deadline, let listenersReleased):
                beginShutdown(deadline: deadline)
                listenersReleased.signal()
            }
        }
    }

    private func acceptConnections(from listener: Socket, now: ContinuousClock.Instant) {
        // A bounded batch keeps one busy listener from starving the connections already open.
        for _ in 0..<64 {
            let accepted: (socket: Socket, remote: SocketAddress)?
            do {
                accepted = try listener.accept()
            } catch {
                core.logPeerMistake(.warning, "accept failed", kind: "accept-failed", metadata: ["error": "\(error)"])
                return
            }
            guard let accepted else {
                return
            }
            admit(accepted.socket, remote: accepted.remote, now: now)
        }
    }

    private func admit(_ socket: Socket, remote: SocketAddress, now: ContinuousClock.Instant) {
        let open = core.openConnections.add(1, ordering: .relaxed).newValue
        guard open <= core.limits.maximumConnections, !isDraining else {
            core.openConnections.subtract(1, ordering: .relaxed)
            core.logPeerMistake(
                .warning, "connection closed at the connection limit", kind: "connection-limit",
                metadata: ["remote": "\(remote)", "limit": String(core.limits.maximumConnections)])
            socket.close()
            return
        }

        do {
            try socket.setNoDelay()
            let connection = try Connection(id: core.makeConnectionID(), socket: socket, remoteAddress: remote, loop: self, now: now)
            try register(socket.descriptor, events: EPOLLIN.rawValue, tag: connection.id)
            connection.registeredEvents = EPOLLIN.rawValue
            connections[connection.id] = connection
        } catch {
            core.logger.error("setting up an accepted connection failed", metadata: ["remote": "\(remote)", "error": "\(error)"])
            core.openConnections.subtract(1, ordering: .relaxed)
            socket.close()
        }
    }

    private func updateRegistration(_ connection: Connection) {
        guard !connection.isClosed else {
            return
        }
        let desired = connection.desiredEvents
        guard desired != connection.registeredEvents else {
            return
        }
        var event = epoll_event()
        event.events = desired
        event.data.u64 = connection.id
        if epoll_ctl(epoll, EPOLL_CTL_MOD, connection.socket.descriptor, &event) == 0 {
            connection.registeredEvents = desired
        } else {
            core.logger.error("epoll_ctl failed", metadata: ["error": String(cString: strerror(errno)), "connection.id": String(connection.id)])
            connection.close()
        }
    }

    private func sweepTimeouts(now: ContinuousClock.Instant) {
        for connection in Array(connections.values) {
            guard let deadline = connection.deadline, now >= deadline else {
                continue
            }
            connection.handleTimeout(now: now)
            drive(connection, now: now)
        }
        if let drainDeadline, now >= drainDeadline {
            for connection in Array(connections.values) {
                connection.close()
            }
        }
    }

    private func beginShutdown(deadline: ContinuousClock.Instant) {
        for listener in listeners {
            _ = epoll_ctl(epoll, EPOLL_CTL_DEL, listener.descriptor, nil)
        }
        drainDeadline = deadline
        for connection in Array(connections.values) where connection.isIdle {
            connection.close()
        }
    }

    private func stop() {
        for connection in Array(connections.values) {
            connection.close()
        }
        mailbox.withLock { mailbox in
            mailbox.isRunning = false
            mailbox.messages.removeAll()
        }
        _ = Glibc.close(epoll)
    }

    deinit {
        _ = Glibc.close(wakeup)
    }

    private func register(_ descriptor: Int32, events: UInt32, tag: UInt64) throws(SystemCallError) {
        var event = epoll_event()
        event.events = events
        event.data.u64 = tag
        try SystemCall.run("epoll_ctl") { epoll_ctl(epoll, EPOLL_CTL_ADD, descriptor, &event) }
    }

    private static func listenerTag(_ index: Int) -> UInt64 {
        wakeupTag - 1 - UInt64(index)
    }

    private static func listenerIndex(_ tag: UInt64) -> Int? {
        tag < wakeupTag && tag >= wakeupTag - 1024 ? Int(wakeupTag - 1 - tag) : nil
    }
}
