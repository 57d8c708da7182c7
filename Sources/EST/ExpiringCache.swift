import Foundation
import Synchronization

/// A thread-safe map whose entries expire `lifetime` after they were stored, with at most
/// `maximumEntries`. Inserting a new key first drops the expired entries, scanning at most once a
/// second, so expired values do not stay in memory until the cache fills and a cache full of live
/// entries is not scanned on every insert. An entry that still does not fit is not stored.
final class ExpiringCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry {
        var value: Value
        var expiry: Date
    }

    private let lifetime: TimeInterval
    private let maximumEntries: Int
    private struct Storage {
        var entries: [Key: Entry] = [:]
        var lastPurge = Date.distantPast
    }

    private let storage = Mutex(Storage())

    init(lifetime: TimeInterval, maximumEntries: Int) {
        self.lifetime = lifetime
        self.maximumEntries = maximumEntries
    }

    /// Returns the value stored for `key`, or nil when there is none or it has expired.
    func value(for key: Key, now: Date = Date()) -> Value? {
        storage.withLock { storage in
            guard let entry = storage.entries[key], entry.expiry > now else {
                return nil
            }
            return entry.value
        }
    }

    func insert(_ value: Value, for key: Key, now: Date = Date()) {
        storage.withLock { storage in
            let isNew = storage.entries[key] == nil
            if isNew, now.timeIntervalSince(storage.lastPurge) >= 1 {
                let expired = storage.entries.compactMap { $0.value.expiry <= now ? $0.key : nil }
                for expiredKey in expired {
                    storage.entries.removeValue(forKey: expiredKey)
                }
                storage.lastPurge = now
            }
            if !isNew || storage.entries.count < maximumEntries {
                storage.entries[key] = Entry(value: value, expiry: now + lifetime)
            }
        }
    }

    var count: Int {
        storage.withLock { $0.entries.count }
    }
}
