import Foundation
import Testing

@testable import EST

@Suite("ExpiringCache")
struct ExpiringCacheTests {
    let now = Date(timeIntervalSince1970: 2_000_000_000)

    @Test("value expires after lifetime")
    func expiry() {
        let cache = ExpiringCache<String, Int>(lifetime: 60, maximumEntries: 4)
        cache.insert(1, for: "a", now: now)

        #expect(cache.value(for: "a", now: now + 59) == 1)
        #expect(cache.value(for: "a", now: now + 60) == nil)
        #expect(cache.value(for: "b", now: now) == nil)
    }

    // With 2 the third insert finds the cache full, with 4 far from full. Either way "a" expired
    // at now + 60 and must not stay in memory.
    @Test("insert drops expired entries", arguments: [2, 4])
    func insertDropsExpired(maximumEntries: Int) {
        let cache = ExpiringCache<String, Int>(lifetime: 60, maximumEntries: maximumEntries)
        cache.insert(1, for: "a", now: now)
        cache.insert(2, for: "b", now: now + 30)

        cache.insert(3, for: "c", now: now + 61)

        #expect(cache.count == 2)
        #expect(cache.value(for: "b", now: now + 61) == 2)
        #expect(cache.value(for: "c", now: now + 61) == 3)
    }

    @Test("full cache keeps its bound")
    func fullKeepsBound() {
        let cache = ExpiringCache<String, Int>(lifetime: 60, maximumEntries: 2)
        cache.insert(1, for: "a", now: now)
        cache.insert(2, for: "b", now: now)

        cache.insert(3, for: "c", now: now + 1)
        cache.insert(4, for: "a", now: now + 1)

        #expect(cache.count == 2)
        #expect(cache.value(for: "c", now: now + 1) == nil)
        #expect(cache.value(for: "a", now: now + 1) == 4)
    }

    @Test("full cache scans once a second")
    func scanThrottled() {
        let cache = ExpiringCache<String, Int>(lifetime: 60, maximumEntries: 2)
        cache.insert(1, for: "a", now: now)
        cache.insert(2, for: "b", now: now)
        cache.insert(3, for: "c", now: now + 59.5)

        // Both entries have expired, but the last scan was 0.7 s ago.
        cache.insert(4, for: "d", now: now + 60.2)
        let afterThrottledInsert = cache.value(for: "d", now: now + 60.2)
        cache.insert(5, for: "e", now: now + 60.6)

        #expect(afterThrottledInsert == nil)
        #expect(cache.value(for: "e", now: now + 60.6) == 5)
        #expect(cache.count == 1)
    }
}
