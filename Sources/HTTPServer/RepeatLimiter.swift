import Synchronization

/// Limits how often one kind of peer mistake (or one client address) is logged, so a misbehaving
/// or hostile client cannot flood the log. Each key may log `burst` lines per `window`. The rest
/// are counted, and the count is reported on the next line that is let through.
public final class RepeatLimiter: Sendable {
    private struct Window {
        var start: ContinuousClock.Instant
        var logged: Int
        var suppressed: Int
    }

    private let burst: Int
    private let window: Duration
    /// Keys tracked at once; past it, expired windows and then the oldest are dropped, so memory
    /// stays bounded when the keys are client addresses.
    private let maximumKeys: Int
    private let windows = Mutex<[String: Window]>([:])

    public init(burst: Int = 10, window: Duration = .seconds(60), maximumKeys: Int = 10_000) {
        self.burst = burst
        self.window = window
        self.maximumKeys = maximumKeys
    }

    /// Returns nil when this occurrence of `key` should not be logged, else how many earlier
    /// ones were dropped since the last line.
    public func admit(_ key: String, at now: ContinuousClock.Instant = .now) -> Int? {
        windows.withLock { windows in
            if windows[key] == nil && windows.count >= maximumKeys {
                evict(from: &windows, now: now)
            }
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

    private func evict(from windows: inout [String: Window], now: ContinuousClock.Instant) {
        for (key, entry) in windows where now - entry.start >= window {
            windows.removeValue(forKey: key)
        }
        if windows.count >= maximumKeys, let oldest = windows.min(by: { $0.value.start < $1.value.start })?.key {
            windows.removeValue(forKey: oldest)
        }
    }
}
