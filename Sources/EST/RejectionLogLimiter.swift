import Foundation
import Synchronization

/// Limits rejection warnings per client address, so a misconfigured or hostile device polling in
/// a loop cannot flood the log. Each address may log `burst` lines per `window`; the first line
/// after a window with suppressed lines reports how many were dropped.
final class RejectionLogLimiter: Sendable {
    struct Decision: Equatable {
        var shouldLog: Bool
        /// Lines dropped for this address in the previous window, reported once.
        var suppressedBefore: Int
    }

    private struct Window {
        var start: Date
        var logged: Int
        var suppressed: Int
    }

    private let burst: Int
    private let window: TimeInterval
    /// Addresses tracked at once; the oldest windows are dropped past it so memory stays bounded.
    private let maximumAddresses: Int
    private let windows = Mutex<[String: Window]>([:])

    init(burst: Int = 5, window: TimeInterval = 60, maximumAddresses: Int = 10_000) {
        self.burst = burst
        self.window = window
        self.maximumAddresses = maximumAddresses
    }

    func decide(address: String, now: Date = Date()) -> Decision {
        windows.withLock { windows in
            var current = windows[address] ?? Window(start: now, logged: 0, suppressed: 0)
            var suppressedBefore = 0
            if now.timeIntervalSince(current.start) >= window {
                suppressedBefore = current.suppressed
                current = Window(start: now, logged: 0, suppressed: 0)
            }

            let shouldLog = current.logged < burst
            if shouldLog {
                current.logged += 1
            } else {
                current.suppressed += 1
            }

            if windows[address] == nil && windows.count >= maximumAddresses {
                let expired = windows.filter { now.timeIntervalSince($0.value.start) >= window }.map(\.key)
                expired.forEach { windows.removeValue(forKey: $0) }
                if windows.count >= maximumAddresses, let oldest = windows.min(by: { $0.value.start < $1.value.start })?.key {
                    windows.removeValue(forKey: oldest)
                }
            }
            windows[address] = current
            return Decision(shouldLog: shouldLog, suppressedBefore: suppressedBefore)
        }
    }
}
