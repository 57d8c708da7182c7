import Foundation
import PKI
import Testing

@testable import EST

@Suite("VerifiedCredentialCache")
struct VerifiedCredentialCacheTests {
    let now = Date(timeIntervalSince1970: 2_000_000_000)

    @Test("right password accepted, wrong rejected")
    func rightAndWrong() throws {
        let cache = VerifiedCredentialCache(lifetime: 60)
        let stored = try PasswordHash.make("correct horse")
        #expect(cache.verify(password: "correct horse", deviceID: 1, credentialHash: stored, now: now))
        // A cached success must not let another password through.
        #expect(!cache.verify(password: "battery staple", deviceID: 1, credentialHash: stored, now: now))
        #expect(cache.verify(password: "correct horse", deviceID: 1, credentialHash: stored, now: now + 1))
    }

    @Test("changed credential misses the cache")
    func changedCredential() throws {
        let cache = VerifiedCredentialCache(lifetime: 60)
        let old = try PasswordHash.make("first")
        let new = try PasswordHash.make("second")
        #expect(cache.verify(password: "first", deviceID: 7, credentialHash: old, now: now))
        #expect(!cache.verify(password: "first", deviceID: 7, credentialHash: new, now: now))
        #expect(cache.verify(password: "second", deviceID: 7, credentialHash: new, now: now))
    }

    @Test("expired entry verifies again")
    func expiry() throws {
        let cache = VerifiedCredentialCache(lifetime: 60)
        let stored = try PasswordHash.make("secret")
        #expect(cache.verify(password: "secret", deviceID: 3, credentialHash: stored, now: now))
        // After the lifetime the slow path runs again and still returns the right result.
        #expect(cache.verify(password: "secret", deviceID: 3, credentialHash: stored, now: now + 61))
        #expect(!cache.verify(password: "other", deviceID: 3, credentialHash: stored, now: now + 61))
    }

    @Test("concurrent misses run scrypt once")
    func concurrentMisses() throws {
        let cache = VerifiedCredentialCache(lifetime: 60)
        let stored = try PasswordHash.make("fleet")
        let now = self.now

        let first = runTogether(8) { _ in cache.verify(password: "fleet", deviceID: 4, credentialHash: stored, now: now) }
        #expect(first == Array(repeating: true, count: 8))
        #expect(cache.slowChecks.runs == 1)

        // After the lifetime all eight miss together again, and again share one run.
        let later = runTogether(8) { _ in cache.verify(password: "fleet", deviceID: 4, credentialHash: stored, now: now + 61) }
        #expect(later == Array(repeating: true, count: 8))
        #expect(cache.slowChecks.runs == 2)
    }
}
