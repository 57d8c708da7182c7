import Foundation
import Synchronization

/// A fixed set of threads running request handlers, which may block, off the event loops.
final class HandlerThreadPool: Sendable {
    private struct Queue {
        var jobs: [@Sendable () -> Void] = []
        var head = 0
        var stopping = false
    }

    private let queue = Mutex(Queue())
    private let condition = NSCondition()

    init(threadCount: Int) {
        for index in 0..<max(1, threadCount) {
            let thread = Thread { [self] in
                self.runJobs()
            }
            thread.name = "estgate-handler-\(index)"
            thread.start()
        }
    }

    func submit(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        queue.withLock { $0.jobs.append(job) }
        condition.signal()
        condition.unlock()
    }

    /// Lets the threads finish queued jobs and exit; it does not wait for them.
    func stop() {
        condition.lock()
        queue.withLock { $0.stopping = true }
        condition.broadcast()
        condition.unlock()
    }

    private func runJobs() {
        while let job = nextJob() {
            job()
        }
    }

    private func nextJob() -> (@Sendable () -> Void)? {
        condition.lock()
        defer { condition.unlock() }

        while true {
            let next: (job: (@Sendable () -> Void)?, stop: Bool) = queue.withLock { queue in
                if queue.head < queue.jobs.count {
                    let job = queue.jobs[queue.head]
                    queue.head += 1
                    if queue.head > 64 && queue.head * 2 > queue.jobs.count {
                        queue.jobs.removeFirst(queue.head)
                        queue.head = 0
                    }
                    return (job, false)
                }
                return (nil, queue.stopping)
            }
            if let job = next.job {
                return job
            }
            if next.stop {
                return nil
            }
            condition.wait()
        }
    }
}
