import Foundation
import PKI
import Synchronization

/// Runs the slow password hash for HTTP Basic credentials once for concurrent requests that
/// present the same password for the same stored hash, and at most `limit` hashes at a time.
///
/// When a device's cached password check expires, all of its requests in flight miss the cache
/// together. Each scrypt run takes 16 MiB and tens of milliseconds of CPU with the default
/// parameters, so without coalescing a device polling on 8 connections would run 8 of them.
final class CoalescedPasswordCheck: Sendable {
    struct Key: Hashable, Sendable {
        var deviceID: Int64
        /// A keyed SHA-256 of the presented password, never the password itself.
        var passwordDigest: [UInt8]
        var credentialHash: String
    }

    /// One scrypt run that later requests with the same key wait for.
    private final class Flight: @unchecked Sendable {
        private let condition = NSCondition()
        /// Guarded by `condition`.
        private var result: Bool?

        func finish(_ accepted: Bool) {
            condition.lock()
            result = accepted
            condition.broadcast()
            condition.unlock()
        }

        func wait() -> Bool {
            condition.lock()
            defer { condition.unlock() }
            while result == nil {
                condition.wait()
            }
            return result ?? false
        }
    }

    private let flights = Mutex<[Key: Flight]>([:])
    /// Bounds the memory and CPU of simultaneous scrypt runs for different keys.
    private let slots: DispatchSemaphore
    private let counters = Mutex<(running: Int, runs: Int, peakRunning: Int)>((0, 0, 0))

    /// - Parameter limit: the maximum number of scrypt runs at once. The default is one per
    ///   active processor, because more would not finish sooner but would each hold 16 MiB.
    init(limit: Int = ProcessInfo.processInfo.activeProcessorCount) {
        slots = DispatchSemaphore(value: max(1, limit))
    }

    /// Checks `password` against `key.credentialHash`, sharing the result of a check of the same
    /// key that is already running.
    ///
    /// A caller that caches accepted passwords passes its lookup as `isCached` and its insert as
    /// `recordAcceptance`. The lookup runs under the lock that guards the running checks. The
    /// check that ran scrypt records its success before it removes itself from them, so a request
    /// that arrives as a run ends finds either that run or the cache entry.
    func check(password: String, key: Key, isCached: () -> Bool = { false }, recordAcceptance: () -> Void = {}) -> Bool {
        enum Role {
            case leader(Flight)
            case follower(Flight)
            case cached
        }

        let role = flights.withLock { flights -> Role in
            if let running = flights[key] {
                return .follower(running)
            }
            if isCached() {
                return .cached
            }
            let flight = Flight()
            flights[key] = flight
            return .leader(flight)
        }

        switch role {
        case .cached:
            return true
        case .follower(let flight):
            return flight.wait()
        case .leader(let flight):
            let accepted = runSlowHash(password, against: key.credentialHash)
            if accepted {
                recordAcceptance()
            }
            flights.withLock { _ = $0.removeValue(forKey: key) }
            flight.finish(accepted)
            return accepted
        }
    }

    /// The number of scrypt runs so far.
    var runs: Int {
        counters.withLock { $0.runs }
    }

    /// The maximum number of scrypt runs that were in progress at the same moment.
    var peakRunning: Int {
        counters.withLock { $0.peakRunning }
    }

    private func runSlowHash(_ password: String, against credentialHash: String) -> Bool {
        slots.wait()
        defer { slots.signal() }

        counters.withLock { counters in
            counters.running += 1
            counters.runs += 1
            counters.peakRunning = max(counters.peakRunning, counters.running)
        }
        defer { counters.withLock { $0.running -= 1 } }

        return PasswordHash.verify(password, against: credentialHash)
    }
}
