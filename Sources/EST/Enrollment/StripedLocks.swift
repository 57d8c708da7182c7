import Foundation

/// A fixed set of locks chosen by key hash, so work on one enrollment request is serialised
/// without a lock per request and without one lock for all.
final class StripedLocks: Sendable {
    private let locks: [NSLock]

    init(count: Int) {
        locks = (0..<max(count, 1)).map { _ in NSLock() }
    }

    func withLock<T>(for key: String, _ body: () throws -> T) rethrows -> T {
        var hasher = Hasher()
        hasher.combine(key)
        let index = Int(UInt(bitPattern: hasher.finalize()) % UInt(locks.count))
        return try locks[index].withLock { try body() }
    }
}
