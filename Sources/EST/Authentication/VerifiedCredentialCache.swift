import Foundation
import PKI

/// Remembers recent successful HTTP Basic verifications, so a device polling every few seconds
/// pays for the slow password hash once per `lifetime` rather than on every poll.
///
/// An entry keeps a SHA-256 of a per-process random key and the password, never the password,
/// and the stored credential hash it was verified against: a changed password or a deleted
/// credential misses the cache. Failed verifications are never cached.
final class VerifiedCredentialCache: Sendable {
    private struct Entry {
        var passwordDigest: [UInt8]
        var credentialHash: String
    }

    /// Random key mixed into every digest, so the digests are useless outside this process.
    private let processKey: [UInt8]
    private let entries: ExpiringCache<Int64, Entry>
    /// The scrypt runs behind cache misses, shared by concurrent misses of the same password.
    let slowChecks = CoalescedPasswordCheck()

    init(lifetime: TimeInterval = 300, maximumEntries: Int = 100_000) {
        entries = ExpiringCache(lifetime: lifetime, maximumEntries: maximumEntries)
        var generator = SystemRandomNumberGenerator()
        processKey = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// Verifies `password` against the device's stored hash, from the cache when an unexpired
    /// entry matches. Otherwise it runs the slow hash or waits for a running check of the same
    /// password.
    func verify(password: String, deviceID: Int64, credentialHash: String, now: Date = Date()) -> Bool {
        let digest = Digest.sha256(processKey + Array(password.utf8))
        let isCached = {
            guard let cached = self.entries.value(for: deviceID, now: now), cached.credentialHash == credentialHash else {
                return false
            }
            return VerifiedCredentialCache.constantTimeEqual(cached.passwordDigest, digest)
        }
        if isCached() {
            return true
        }

        let key = CoalescedPasswordCheck.Key(deviceID: deviceID, passwordDigest: digest, credentialHash: credentialHash)
        return slowChecks.check(password: password, key: key, isCached: isCached) {
            entries.insert(Entry(passwordDigest: digest, credentialHash: credentialHash), for: deviceID, now: now)
        }
    }

    private static func constantTimeEqual(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        guard left.count == right.count else {
            return false
        }
        var difference: UInt8 = 0
        for index in left.indices {
            difference |= left[index] ^ right[index]
        }
        return difference == 0
    }
}
