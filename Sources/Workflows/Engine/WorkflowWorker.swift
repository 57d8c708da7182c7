import Foundation
import Logging

/// Runs background workflow steps (Webhook, Email, Timeout) on its own thread.
///
/// Due steps are read from the database on every round, so a restarted gateway resumes the
/// instances that were Running when it stopped. A round runs after `pollInterval` seconds, or
/// at once after `wake()`.
// The mutable fields are only touched with `condition` locked.
public final class WorkflowWorker: @unchecked Sendable {
    private let engine: WorkflowEngine
    private let logger: Logger
    private let pollInterval: TimeInterval
    private let condition = NSCondition()
    private var running = false
    private var wakeRequested = false
    private var thread: Thread?
    private let finished = DispatchSemaphore(value: 0)

    public init(engine: WorkflowEngine, logger: Logger, pollInterval: TimeInterval = 1) {
        self.engine = engine
        self.logger = logger
        self.pollInterval = max(0.01, pollInterval)
    }

    /// Starts the worker thread; does nothing when it is already running.
    public func start() {
        condition.lock()
        defer { condition.unlock() }
        guard !running else {
            return
        }
        running = true

        let thread = Thread { [self] in
            self.loop()
            self.finished.signal()
        }
        thread.name = "estgate-workflow-worker"
        self.thread = thread
        thread.start()
        logger.info("workflow worker started", metadata: ["poll_interval_s": String(pollInterval)])
    }

    /// Asks for a round now, for instance after a request created background work.
    public func wake() {
        condition.lock()
        wakeRequested = true
        condition.signal()
        condition.unlock()
    }

    /// Stops the worker after the step it is running, waiting at most `timeout` seconds.
    /// Returns false when the thread was still busy at the deadline.
    @discardableResult
    public func stop(timeout: TimeInterval = 30) -> Bool {
        condition.lock()
        guard running else {
            condition.unlock()
            return true
        }
        running = false
        condition.signal()
        condition.unlock()

        let stopped = finished.wait(timeout: .now() + timeout) == .success
        if stopped {
            logger.info("workflow worker stopped")
        } else {
            logger.error("workflow worker still busy after the stop timeout", metadata: ["timeout_s": String(timeout)])
        }
        return stopped
    }

    private func loop() {
        while isRunning {
            let ran = engine.runDueSteps()
            guard ran == 0 else {
                continue
            }

            condition.lock()
            let deadline = Date().addingTimeInterval(pollInterval)
            while running && !wakeRequested && Date() < deadline {
                _ = condition.wait(until: deadline)
            }
            wakeRequested = false
            condition.unlock()
        }
    }

    private var isRunning: Bool {
        condition.lock()
        defer { condition.unlock() }
        return running
    }
}
