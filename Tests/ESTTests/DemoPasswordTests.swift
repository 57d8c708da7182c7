import Testing

@testable import EST

@Suite("DemoSetup password")
struct DemoPasswordTests {
    @Test("password is 24 base64url characters")
    func alphabet() throws {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let password = try DemoSetup.randomPassword()

        #expect(password.count == 24)
        #expect(password.allSatisfy { allowed.contains($0) })
    }

    // Without the cleared bit, one password in 32 starts with `-` or `_`. So 2,000 draws all
    // pass by chance with odds below 10^-27.
    @Test("no leading dash or underscore")
    func firstCharacter() throws {
        for _ in 0..<2000 {
            let password = try DemoSetup.randomPassword()
            #expect(password.first != "-", "generated password starts with a dash")
            #expect(password.first != "_", "generated password starts with an underscore")
        }
    }

    @Test("passwords differ between draws")
    func distinct() throws {
        let passwords = try Set((0..<100).map { _ in try DemoSetup.randomPassword() })

        #expect(passwords.count == 100)
    }
}
