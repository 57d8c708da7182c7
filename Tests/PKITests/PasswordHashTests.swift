import Foundation
import PKI
import Testing

@Suite("PasswordHash")
struct PasswordHashTests {
    @Test("make then verify round trips")
    func roundTrip() throws {
        let stored = try PasswordHash.make("correct horse battery staple")
        #expect(stored.hasPrefix("$scrypt$ln=\(PasswordHash.defaultLogN),r=8,p=1$"))
        #expect(PasswordHash.verify("correct horse battery staple", against: stored))
        #expect(!PasswordHash.verify("correct horse battery stapler", against: stored))
        #expect(!PasswordHash.verify("", against: stored))
    }

    @Test("same password gets new salt")
    func salted() throws {
        #expect(try PasswordHash.make("pw") != PasswordHash.make("pw"))
    }

    @Test("matches RFC 7914 test vector")
    func rfcVector() throws {
        // RFC 7914 section 12: P="password", S="NaCl", N=1024, r=8, p=16, dkLen=64.
        let salt = Base64.encode(Array("NaCl".utf8), lineLength: nil)
        let expected: [UInt8] = [
            0xfd, 0xba, 0xbe, 0x1c, 0x9d, 0x34, 0x72, 0x00, 0x78, 0x56, 0xe7, 0x19, 0x0d, 0x01, 0xe9, 0xfe,
            0x7c, 0x6a, 0xd7, 0xcb, 0xc8, 0x23, 0x78, 0x30, 0xe7, 0x73, 0x76, 0x63, 0x4b, 0x37, 0x31, 0x62,
            0x2e, 0xaf, 0x30, 0xd9, 0x2e, 0x22, 0xa3, 0x88, 0x6f, 0xf1, 0x09, 0x27, 0x9d, 0x98, 0x30, 0xda,
            0xc7, 0x27, 0xaf, 0xb9, 0x4a, 0x83, 0xee, 0x6d, 0x83, 0x60, 0xcb, 0xdf, 0xa2, 0xcc, 0x06, 0x40,
        ]
        let stored = "$scrypt$ln=10,r=8,p=16$\(salt)$\(Base64.encode(expected, lineLength: nil))"
        #expect(PasswordHash.verify("password", against: stored))
        #expect(!PasswordHash.verify("Password", against: stored))
    }

    @Test("malformed stored hash fails", arguments: [
        "", "plain", "$scrypt$ln=15,r=8$c2FsdA==$aGFzaGhhc2hoYXNoaGFzaA==", "$scrypt$ln=40,r=8,p=1$c2FsdA==$aGFzaGhhc2hoYXNoaGFzaA==",
        "$bcrypt$ln=15,r=8,p=1$c2FsdA==$aGFzaGhhc2hoYXNoaGFzaA==", "$scrypt$ln=15,r=8,p=1$c2FsdA==$*",
    ])
    func malformed(stored: String) {
        #expect(!PasswordHash.verify("pw", against: stored))
    }

    @Test("one hash costs tens of milliseconds")
    func cost() throws {
        let start = Date()
        _ = try PasswordHash.make("timing")
        let elapsed = Date().timeIntervalSince(start)
        // Bounds wide enough for a loaded debug build; the point is "not instant, not seconds".
        #expect(elapsed > 0.005)
        #expect(elapsed < 2)
    }
}
