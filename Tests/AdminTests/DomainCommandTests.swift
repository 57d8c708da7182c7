import Admin
import ArgumentParsing
import Foundation
import Store
import Testing

@Suite("domains, certs and ca commands")
struct DomainCommandTests {
    @Test("add domain with settings")
    func addDomain() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }

        let result = try fixture.run([
            "domains", "add", "lab", "--ca", "issuing", "--auth", "basic", "--retry-after", "30", "--profile", "device-client",
        ])

        let domain = try #require(try fixture.store.read { try $0.domain(named: "lab") })
        #expect(result.output == "Added domain lab (id \(domain.id)).\n")
        #expect(domain.caID == fixture.ca.id)
        #expect(domain.authMode == .basic)
        #expect(domain.retryAfterSeconds == 30)
        #expect(domain.profiles == ["device-client"])
        #expect(domain.defaultProfile == "device-client")
    }

    @Test("domain errors name the value")
    func domainErrors() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }

        #expect(throws: AdminError.alreadyExists(entity: "domain", key: "open")) {
            try fixture.run(["domains", "add", "open", "--ca", "issuing"])
        }
        #expect(throws: AdminError.notFound(entity: "CA", key: "nope")) {
            try fixture.run(["domains", "add", "lab", "--ca", "nope"])
        }
        #expect(throws: AdminError.unknownProfile(name: "server", known: ["device-client"])) {
            try fixture.run(["domains", "add", "lab", "--ca", "issuing", "--profile", "server"])
        }
        #expect(fixture.usageError(["domains", "add", "lab", "--ca", "issuing", "--auth", "token"])?.message
            == "invalid value \"token\" for --auth: expected certificate, basic, certificate-or-basic, certificate-and-basic")
        #expect(fixture.usageError(["domains", "set", "open", "--retry-after", "0"])?.message
            == "invalid value \"0\" for --retry-after: expected an integer from 1 to 86400")
        #expect(fixture.usageError(["domains", "add", "lab"])?.message
            == "missing --ca NAME: a domain needs the CA that issues its certificates")
    }

    @Test("set changes only given options")
    func setDomain() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }

        _ = try fixture.run(["domains", "set", "factory", "--automatic-retry-after", "2"])

        let object = try #require(try fixture.json(["domains", "show", "factory", "--json"]) as? [String: Any])
        #expect(object["automatic_retry_after_seconds"] as? Int == 2)
        #expect(object["retry_after_seconds"] as? Int == 60)
        #expect(object["profiles"] as? [String] == ["device-client"])
        #expect(object["ca"] as? String == "issuing")
        let rows = try #require(try fixture.json(["domains", "list", "--json"]) as? [[String: Any]])
        #expect(rows.compactMap { $0["name"] as? String }.sorted() == ["factory", "open"])
    }

    @Test("certs list filters expiry")
    func certsList() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }
        let device = try fixture.addDevice("sensor-1", domain: fixture.factory)
        try fixture.store.transaction { session in
            for (serial, days) in [("0a01", 10.0), ("0b02", 90.0)] {
                _ = try session.insertIssuedCertificate(IssuedCertificateRecord(
                    serialNumber: serial, subject: "CN=sensor-1", notBefore: TestClock.start,
                    notAfter: TestClock.start.addingTimeInterval(days * 86400), der: [0x30, 0x00], deviceID: device.id))
            }
        }

        let all = try #require(try fixture.json(["certs", "list", "--json"]) as? [[String: Any]])
        let soon = try #require(try fixture.json(["certs", "list", "--json", "--expiring-within", "30"]) as? [[String: Any]])
        let table = try fixture.run(["certs", "list", "--device", "sensor-1"]).output

        #expect(all.compactMap { $0["serial_number"] as? String } == ["0a01", "0b02"])
        #expect(all.first?["device"] as? String == "sensor-1")
        #expect(all.first?["not_after"] as? String == "2024-05-11T12:00:00Z")
        #expect(soon.compactMap { $0["serial_number"] as? String } == ["0a01"])
        #expect(table.hasPrefix("SERIAL  SUBJECT      DEVICE    NOT BEFORE            NOT AFTER             REQUEST\n0a01"))
    }

    @Test("certs show by serial prefix")
    func certsShow() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }
        try fixture.store.transaction { session in
            for serial in ["0a01", "0a02"] {
                _ = try session.insertIssuedCertificate(IssuedCertificateRecord(
                    serialNumber: serial, subject: "CN=x", notBefore: TestClock.start, notAfter: TestClock.start,
                    der: [0x30, 0x03, 0x02, 0x01, 0x01]))
            }
        }

        let shown = try fixture.run(["certs", "show", "0A02"]).output

        #expect(shown.hasPrefix("Serial       0a02\n"))
        #expect(shown.hasSuffix("-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\n"))
        #expect(throws: AdminError.ambiguousSerialPrefix(prefix: "0a", matches: ["0a01", "0a02"], total: 2)) {
            try fixture.run(["certs", "show", "0a"])
        }
        #expect(throws: AdminError.notFound(entity: "certificate with serial number", key: "ff")) {
            try fixture.run(["certs", "show", "ff"])
        }
    }

    @Test("ca list reads the store")
    func caList() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }

        let table = try fixture.run(["ca", "list"]).output
        let rows = try #require(try fixture.json(["ca", "list", "--json"]) as? [[String: Any]])

        #expect(table == """
            ID  NAME     CERTIFICATE       CHAIN          CREATED
            1   issuing  /pki/issuing.pem  /pki/root.pem  2024-05-01T12:00:00Z

            """)
        #expect(rows.first?["name"] as? String == "issuing")
        #expect(rows.first?["certificate_path"] as? String == "/pki/issuing.pem")
    }
}
