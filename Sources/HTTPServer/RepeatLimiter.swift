import Synchronization

/// Limits how often one kind of peer mistake is logged, so a misbehaving or hostile client
/// cannot flood the log. Each key may log `burst` lines per `window`; the rest are counted, and
/// the count is reported on the next line that is let through.
final class RepeatLimiter: Sendable {
    private struct Window {
        var start: ContinuousClock.Instant
        var logged: Int
        var suppressed: Int
    }

    private let burst: Int
    private let window: Duration
    private let windows = Mutex<[String: Window]>([:])

    init(burst: Int = 10, window: Duration = .seconds(60)) {
        self.burst = burst
        self.window = window
    }

    /// Returns nil when this occurrence of `key` should not be logged, else how many earlier
    /// ones were dropped since the last line.
    func admit(_ key: String, at now: ContinuousClock.Instant = .now) -> Int? {
        windows.withLock { windows in
            var entry = windows[key] ?? Window(start: now, logged: 0, suppressed: 0)
            if now - entry.start >= window {
                entry.start = now
                entry.logged = 0
            }
            guard entry.logged < burst else {
                entry.suppressed += 1
                windows[key] = entry
                return nil
            }

            let suppressed = entry.suppressed
            entry.logged += 1
            entry.suppressed = 0
            windows[key] = entry
            return suppressed
        }
    }
}
