import Admin
import Foundation
import Store
import Testing

@Suite("certs commands")
struct CertificateCommandTests {
    /// Certificates whose serial numbers share prefixes: "0a1b" is also the start of "0a1b2c",
    /// and "0a" starts seven of them.
    private func seeded() throws -> AdminFixture {
        let fixture = try AdminFixture()
        let serials = ["0a1b", "0a1b2c", "0a20", "0a21", "0a22", "0a23", "0a24", "ff01"]
        try fixture.store.transaction { session in
            for serial in serials {
                _ = try session.insertIssuedCertificate(IssuedCertificateRecord(
                    serialNumber: serial, subject: "CN=device-\(serial)", notBefore: TestClock.start,
                    notAfter: TestClock.start.addingTimeInterval(86_400), der: [0x30, 0x00]))
            }
        }
        return fixture
    }

    @Test("whole serial wins over longer ones")
    func wholeSerial() throws {
        let fixture = try seeded()
        defer { fixture.finish() }

        let output = try fixture.run(["certs", "show", "0A1B"]).output

        #expect(output.hasPrefix("Serial       0a1b\nSubject      CN=device-0a1b\n"))
    }

    @Test("unique prefix shows its certificate")
    func uniquePrefix() throws {
        let fixture = try seeded()
        defer { fixture.finish() }

        let object = try #require(try fixture.json(["certs", "show", "ff", "--json"]) as? [String: Any])

        #expect(object["serial_number"] as? String == "ff01")
        #expect((object["pem"] as? String)?.hasPrefix("-----BEGIN CERTIFICATE-----\n") == true)
    }

    @Test("ambiguous prefix lists the first matches and the count")
    func ambiguousPrefix() throws {
        let fixture = try seeded()
        defer { fixture.finish() }

        #expect(throws: AdminError.ambiguousSerialPrefix(
            prefix: "0a", matches: ["0a1b", "0a1b2c", "0a20", "0a21", "0a22"], total: 7)
        ) {
            try fixture.run(["certs", "show", "0a"])
        }
        #expect(AdminError.ambiguousSerialPrefix(prefix: "0a", matches: ["0a1b", "0a1b2c"], total: 7).description
            == "serial number prefix \"0a\" matches 7 certificates (0a1b, 0a1b2c and 5 more); give more characters")
    }

    @Test("list stops at the limit")
    func listLimit() throws {
        let fixture = try seeded()
        defer { fixture.finish() }

        func serials(_ extra: [String]) throws -> [String] {
            let rows = try #require(try fixture.json(["certs", "list", "--json"] + extra) as? [[String: Any]])
            return rows.compactMap { $0["serial_number"] as? String }
        }

        #expect(try serials(["--limit", "3"]) == ["0a1b", "0a1b2c", "0a20"])
        #expect(try serials([]).count == 8)

        try fixture.store.transaction { session in
            for index in 0..<93 {
                _ = try session.insertIssuedCertificate(IssuedCertificateRecord(
                    serialNumber: String(format: "1%03x", index), subject: "CN=bulk", notBefore: TestClock.start,
                    notAfter: TestClock.start.addingTimeInterval(172_800), der: [0x30, 0x00]))
            }
        }
        #expect(try serials([]).count == 100)
        #expect(try serials(["--limit", "0"]).count == 101)
    }

    @Test("list leaves out expired certificates")
    func listLeavesOutExpired() throws {
        let fixture = try seeded()
        defer { fixture.finish() }
        try fixture.store.transaction { session in
            for index in 0..<150 {
                _ = try session.insertIssuedCertificate(IssuedCertificateRecord(
                    serialNumber: String(format: "e%03x", index), subject: "CN=old", notBefore: TestClock.start.addingTimeInterval(-86_400 * 400),
                    notAfter: TestClock.start.addingTimeInterval(-86_400 + Double(index)), der: [0x30, 0x00]))
            }
        }

        func serials(_ extra: [String]) throws -> [String] {
            let rows = try #require(try fixture.json(["certs", "list", "--json"] + extra) as? [[String: Any]])
            return rows.compactMap { $0["serial_number"] as? String }
        }

        #expect(try serials([]).count == 8)
        #expect(try serials(["--expiring-within", "30"]).count == 8)
        #expect(try serials(["--include-expired", "--limit", "2"]) == ["e000", "e001"])
        #expect(try serials(["--include-expired", "--limit", "0"]).count == 158)
    }

    @Test("show accepts colons and rejects other text")
    func serialSpelling() throws {
        let fixture = try seeded()
        defer { fixture.finish() }

        let output = try fixture.run(["certs", "show", "0A:1B:2C"]).output

        #expect(output.hasPrefix("Serial       0a1b2c\n"))
        #expect(fixture.usageError(["certs", "show", "zz"])?.message
            == "invalid serial number \"zz\": expected hexadecimal digits, optionally separated by colons")
        #expect(throws: AdminError.ambiguousSerialPrefix(
            prefix: "0A", matches: ["0a1b", "0a1b2c", "0a20", "0a21", "0a22"], total: 7)
        ) {
            try fixture.run(["certs", "show", "0A"])
        }
    }

    @Test("domain without device is refused")
    func domainWithoutDevice() throws {
        let fixture = try seeded()
        defer { fixture.finish() }

        for command in [["certs", "list"], ["audit"]] {
            #expect(fixture.usageError(command + ["--domain", "factory"])?.message
                == "--domain factory chooses the domain of --device, which is missing; add --device NAME")
        }
    }

    @Test("unknown serial is not found")
    func unknownSerial() throws {
        let fixture = try seeded()
        defer { fixture.finish() }

        #expect(throws: AdminError.notFound(entity: "certificate with serial number", key: "0B")) {
            try fixture.run(["certs", "show", "0B"])
        }
    }
}
