import Foundation
import Synchronization

/// A thread-safe map whose entries expire `lifetime` after they were stored, with at most
/// `maximumEntries`. When it is full, expired entries are dropped. When none has expired, the
/// new entry is not stored, so memory stays bounded under any load.
final class ExpiringCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry {
        var value: Value
        var expiry: Date
    }

    private let lifetime: TimeInterval
    private let maximumEntries: Int
    private let entries = Mutex<[Key: Entry]>([:])

    init(lifetime: TimeInterval, maximumEntries: Int) {
        self.lifetime = lifetime
        self.maximumEntries = maximumEntries
    }

    /// Returns the value stored for `key`, or nil when there is none or it has expired.
    func value(for key: Key, now: Date = Date()) -> Value? {
        entries.withLock { entries in
            guard let entry = entries[key], entry.expiry > now else {
                return nil
            }
            return entry.value
        }
    }

    func insert(_ value: Value, for key: Key, now: Date = Date()) {
        entries.withLock { entries in
            if entries.count >= maximumEntries, entries[key] == nil {
                entries = entries.filter { $0.value.expiry > now }
            }
            if entries.count < maximumEntries || entries[key] != nil {
                entries[key] = Entry(value: value, expiry: now + lifetime)
            }
        }
    }

    var count: Int {
        entries.withLock { $0.count }
    }
}
