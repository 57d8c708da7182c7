import Dispatch
import Foundation
import Glibc
import Logging
import Synchronization

/// A TLS listener running HTTP/1.1 on epoll event loops, with request handlers on a thread pool.
///
/// Sockets and TLS are handled by `eventLoopCount` threads without a thread per connection;
/// handlers run on `handlerThreadCount` other threads and may block.
public final class HTTPServer: Sendable {
    private enum RunState {
        case idle
        case running(loops: [EventLoop], listeners: [Socket], stopped: DispatchGroup)
        case stopping
        case stopped
    }

    /// `@unchecked Sendable`: the state is only read and replaced under `state`'s lock.
    private final class StateBox: @unchecked Sendable {
        var value: RunState = .idle
    }

    public let configuration: Configuration
    private let core: ServerCore
    private let state = Mutex(StateBox())
    private let stoppedSignal = DispatchSemaphore(value: 0)

    /// Loads the certificate chain, private key and trust anchors; the errors name the file.
    public init(configuration: Configuration, handler: some HTTPRequestHandler, logger: Logger) throws {
        guard !configuration.listenAddresses.isEmpty else {
            throw HTTPServerError(.invalidConfiguration, "the server has no listen addresses")
        }
        guard configuration.eventLoopCount > 0, configuration.handlerThreadCount > 0 else {
            throw HTTPServerError(
                .invalidConfiguration,
                "eventLoopCount \(configuration.eventLoopCount) and handlerThreadCount \(configuration.handlerThreadCount) must be at least 1")
        }

        self.configuration = configuration
        let tlsContext = try TLSContext(configuration: configuration.tls)
        self.core = ServerCore(
            limits: configuration.limits, tlsContext: tlsContext, handler: handler,
            handlerThreadCount: configuration.handlerThreadCount, logger: logger)
    }

    /// Binds every listen address and starts the event loops; returns the bound addresses with
    /// the real port where port 0 was given.
    public func start() throws -> [ListenAddress] {
        let startable = state.withLock { box in
            if case .idle = box.value {
                box.value = .stopping
                return true
            }
            return false
        }
        guard startable else {
            throw HTTPServerError(.alreadyStarted, "the server was already started")
        }

        // A peer that resets the connection during SSL_write must not kill the process.
        signal(SIGPIPE, SIG_IGN)

        var listeners: [Socket] = []
        var loops: [EventLoop] = []
        let bound: [ListenAddress]
        do {
            for address in configuration.listenAddresses {
                listeners.append(try Socket.listen(on: address))
            }
            bound = try listeners.map { listener throws(HTTPServerError) in
                do {
                    return try listener.localAddress()
                } catch {
                    throw HTTPServerError(.systemCall, "reading the bound address failed: \(error)")
                }
            }
            for _ in 0..<configuration.eventLoopCount {
                loops.append(try EventLoop(core: core, listeners: listeners))
            }
        } catch {
            listeners.forEach { $0.close() }
            state.withLock { $0.value = .idle }
            throw error
        }

        let stopped = DispatchGroup()
        for (index, loop) in loops.enumerated() {
            stopped.enter()
            let thread = Thread {
                loop.run()
                stopped.leave()
            }
            thread.name = "estgate-event-loop-\(index)"
            thread.start()
        }
        state.withLock { $0.value = .running(loops: loops, listeners: listeners, stopped: stopped) }

        core.logger.info(
            "server started",
            metadata: [
                "addresses": bound.map(\.description).joined(separator: ","),
                "event_loops": String(configuration.eventLoopCount),
                "handler_threads": String(configuration.handlerThreadCount),
            ])
        return bound
    }

    /// Stops accepting, lets in-flight requests finish within `shutdownGracePeriod`, then closes
    /// every connection. Returns once the listeners are closed; `waitUntilStopped` waits for the rest.
    public func shutdown() {
        let running = state.withLock { box -> (loops: [EventLoop], listeners: [Socket], stopped: DispatchGroup)? in
            guard case .running(let loops, let listeners, let stopped) = box.value else {
                return nil
            }
            box.value = .stopping
            return (loops, listeners, stopped)
        }
        guard let running else {
            return
        }

        core.logger.info(
            "server draining",
            metadata: [
                "open_connections": String(core.openConnections.load(ordering: .relaxed)),
                "grace_period": "\(configuration.limits.shutdownGracePeriod)",
            ])

        let deadline = ContinuousClock.now + configuration.limits.shutdownGracePeriod
        let released = DispatchSemaphore(value: 0)
        for loop in running.loops {
            loop.post(.beginShutdown(deadline: deadline, listenersReleased: released))
        }
        // Every loop removes the listeners from its epoll set before they are closed, so no loop
        // can accept on a descriptor number the kernel has already reused.
        for _ in running.loops {
            released.wait()
        }
        running.listeners.forEach { $0.close() }

        running.stopped.notify(queue: .global()) { [self] in
            core.handlerPool.stop()
            state.withLock { $0.value = .stopped }
            core.logger.info("server stopped")
            stoppedSignal.signal()
        }
    }

    /// Blocks until a shutdown has finished.
    public func waitUntilStopped() {
        stoppedSignal.wait()
        stoppedSignal.signal()
    }

    /// Blocks until SIGTERM or SIGINT, then shuts down gracefully and returns.
    public func runUntilSignal() {
        let received = DispatchSemaphore(value: 0)
        let queue = DispatchQueue(label: "estgate.signals")
        var sources: [DispatchSourceSignal] = []
        for signalNumber in [SIGTERM, SIGINT] {
            // The default action would end the process before the dispatch source receives the signal.
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler { received.signal() }
            source.resume()
            sources.append(source)
        }

        received.wait()
        core.logger.info("shutdown signal received")
        sources.forEach { $0.cancel() }
        shutdown()
        waitUntilStopped()
    }
}
