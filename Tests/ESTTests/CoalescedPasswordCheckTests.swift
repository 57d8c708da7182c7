import Foundation
import PKI
import Testing

@testable import EST

@Suite("CoalescedPasswordCheck")
struct CoalescedPasswordCheckTests {
    private func key(_ deviceID: Int64, password: String, stored: String) -> CoalescedPasswordCheck.Key {
        CoalescedPasswordCheck.Key(deviceID: deviceID, passwordDigest: Digest.sha256(Array(password.utf8)), credentialHash: stored)
    }

    @Test("same password shares one run")
    func concurrentSamePassword() throws {
        let check = CoalescedPasswordCheck(limit: 2)
        let stored = try PasswordHash.make("fleet secret")
        let key = key(1, password: "fleet secret", stored: stored)

        let results = runTogether(8) { _ in check.check(password: "fleet secret", key: key) }

        #expect(results.allSatisfy { $0 })
        // The threads start within microseconds and scrypt takes milliseconds, so the others join
        // the first run. A thread delayed until that run had ended would start a second one.
        #expect(check.runs >= 1)
        #expect(check.runs <= 2)
    }

    @Test("wrong password runs separately")
    func wrongPasswordSeparate() throws {
        let check = CoalescedPasswordCheck(limit: 2)
        let stored = try PasswordHash.make("right")
        let passwords = ["right", "wrong", "right", "wrong"]

        let results = runTogether(passwords.count) { index in
            check.check(password: passwords[index], key: key(5, password: passwords[index], stored: stored))
        }

        #expect(results == [true, false, true, false])
        #expect(check.runs >= 2)
    }

    @Test("runs limited across devices")
    func limitAcrossDevices() throws {
        let check = CoalescedPasswordCheck(limit: 1)
        let stored = try PasswordHash.make("shared")

        let results = runTogether(4) { index in
            check.check(password: "shared", key: key(Int64(100 + index), password: "shared", stored: stored))
        }

        #expect(results.allSatisfy { $0 })
        #expect(check.runs == 4)
        #expect(check.peakRunning == 1)
    }

    @Test("check after a run hashes again")
    func sequentialChecksRunEach() throws {
        let check = CoalescedPasswordCheck()
        let stored = try PasswordHash.make("again")
        let key = key(9, password: "again", stored: stored)

        #expect(check.check(password: "again", key: key))
        #expect(check.check(password: "again", key: key))
        #expect(!check.check(password: "other", key: self.key(9, password: "other", stored: stored)))
        #expect(check.runs == 3)
    }
}
