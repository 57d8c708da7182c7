import Admin
import ArgumentParsing
import Foundation
import Store
import Testing

@Suite("requests list")
struct RequestListTests {
    /// Three requests with fixed ids and times, ten minutes apart.
    private func seeded() throws -> AdminFixture {
        let fixture = try AdminFixture()
        let sensor1 = try fixture.addDevice("sensor-1", domain: fixture.factory)
        let sensor2 = try fixture.addDevice("sensor-2", domain: fixture.factory)
        let start = TestClock.start
        try fixture.insertRequest(
            id: "11111111-0000-4000-8000-000000000001", device: sensor1, domain: fixture.factory,
            state: "AwaitingApproval", fingerprint: String(repeating: "a", count: 64), createdAt: start)
        try fixture.insertRequest(
            id: "22222222-0000-4000-8000-000000000002", device: sensor2, domain: fixture.factory, state: "Finalized",
            fingerprint: String(repeating: "b", count: 64), createdAt: start.addingTimeInterval(300), finalized: true)
        try fixture.insertRequest(
            id: "33333333-0000-4000-8000-000000000003", device: nil, domain: fixture.open, state: "Rejected",
            fingerprint: String(repeating: "c", count: 64), createdAt: start.addingTimeInterval(600), finalized: true)
        return fixture
    }

    @Test("table lists newest first")
    func tableGolden() throws {
        let fixture = try seeded()
        defer { fixture.finish() }

        let result = try fixture.run(["requests", "list"])

        #expect(result.status == 0)
        #expect(result.output == """
            ID        STATE             DEVICE    DOMAIN   CA       OPERATION     TEMPLATE       FINGERPRINT       CREATED
            33333333  Rejected          -         open     issuing  simpleenroll  device-client  cccccccccccccccc  2024-05-01T12:10:00Z
            22222222  Finalized         sensor-2  factory  issuing  simpleenroll  device-client  bbbbbbbbbbbbbbbb  2024-05-01T12:05:00Z
            11111111  AwaitingApproval  sensor-1  factory  issuing  simpleenroll  device-client  aaaaaaaaaaaaaaaa  2024-05-01T12:00:00Z

            """)
    }

    @Test("table colours states on a terminal")
    func tableColour() throws {
        let fixture = try seeded()
        defer { fixture.finish() }

        let result = try fixture.run(["requests", "list", "--state", "Rejected"], usesColor: true)

        #expect(result.output.contains("33333333  \u{1B}[31mRejected\u{1B}[0m  -"))
        #expect(!result.output.contains("AwaitingApproval"))
    }

    @Test("json has every identity field")
    func jsonFields() throws {
        let fixture = try seeded()
        defer { fixture.finish() }

        let rows = try #require(try fixture.json(["requests", "list", "--json"]) as? [[String: Any]])

        #expect(rows.count == 3)
        let oldest = try #require(rows.last)
        #expect(oldest["id"] as? String == "11111111-0000-4000-8000-000000000001")
        #expect(oldest["state"] as? String == "AwaitingApproval")
        #expect(oldest["finalized"] as? Bool == false)
        #expect(oldest["protocol"] as? String == "est")
        #expect(oldest["operation"] as? String == "simpleenroll")
        #expect(oldest["ca"] as? String == "issuing")
        #expect(oldest["domain"] as? String == "factory")
        #expect(oldest["device"] as? String == "sensor-1")
        #expect(oldest["fingerprint"] as? String == String(repeating: "a", count: 64))
        #expect(oldest["template"] as? String == "device-client")
        #expect(oldest["reason"] is NSNull)
        #expect(oldest["created_at"] as? String == "2024-05-01T12:00:00Z")
        #expect(oldest["updated_at"] as? String == "2024-05-01T12:00:00Z")
        #expect(rows.first?["device"] is NSNull)
    }

    @Test("filters by state domain device")
    func filters() throws {
        let fixture = try seeded()
        defer { fixture.finish() }

        func ids(_ arguments: [String]) throws -> [String] {
            let rows = try #require(try fixture.json(["requests", "list", "--json"] + arguments) as? [[String: Any]])
            return rows.compactMap { ($0["id"] as? String).map { String($0.prefix(8)) } }
        }

        #expect(try ids(["--state", "awaitingapproval"]) == ["11111111"])
        #expect(try ids(["--domain", "factory"]) == ["22222222", "11111111"])
        #expect(try ids(["--device", "sensor-2"]) == ["22222222"])
        #expect(try ids(["--since", "2024-05-01T12:05:00Z"]) == ["33333333", "22222222"])
        #expect(try ids(["--limit", "1"]) == ["33333333"])
    }

    @Test("relative since counts back from now")
    func relativeSince() throws {
        let fixture = try seeded()
        defer { fixture.finish() }
        fixture.clock.advance(seconds: 660)

        let rows = try #require(try fixture.json(["requests", "list", "--json", "--since", "7m"]) as? [[String: Any]])

        #expect(rows.compactMap { $0["id"] as? String } == ["33333333-0000-4000-8000-000000000003", "22222222-0000-4000-8000-000000000002"])
    }

    @Test("invalid state is a usage error")
    func invalidState() throws {
        let fixture = try seeded()
        defer { fixture.finish() }

        let error = try #require(fixture.usageError(["requests", "list", "--state", "Pending"]))

        #expect(error.code == .invalidValue)
        #expect(error.message == "invalid value \"Pending\" for --state: expected Running, AwaitingApproval, "
            + "Approved, Passed, Finalized, Rejected, Failed, Aborted")
    }

    @Test("invalid since is a usage error")
    func invalidSince() throws {
        let fixture = try seeded()
        defer { fixture.finish() }

        let error = try #require(fixture.usageError(["requests", "list", "--since", "yesterday"]))

        #expect(error.message == "invalid value \"yesterday\" for --since: expected an ISO 8601 time with Z or an "
            + "offset (+02:00, +0200 or +02) such as 2024-05-01T12:00:00Z, a date such as 2024-05-01, or a duration "
            + "such as 30m, 12h or 7d")
        for text in [
            "2024-05-01T12:05:00", "2024-05-01 12:05:00Z", "2024-05-01T99:99:99Z", "2024-02-30T12:00:00Z",
            "2024-05-01T12:05:00Zjunk", "2024-05-01garbage", "2024-5-1", "2023-02-29", "2024-04-31",
            "2024-05-01T12:00:00+05:60", "2024-05-01T12:00:00+19:00",
        ] {
            #expect(fixture.usageError(["requests", "list", "--since", text])?.message.hasPrefix("invalid value \"\(text)\"") == true, "\(text)")
        }
        #expect(try fixture.run(["requests", "list", "--since", "2024-05-01T14:05:00+02:00"]).output.split(separator: "\n").count == 3)
        #expect(try fixture.run(["requests", "list", "--since", "2024-05-01"]).output.split(separator: "\n").count == 4)
        #expect(try fixture.run(["requests", "list", "--since", "2024-05-01T12:05:00.500Z"]).output.split(separator: "\n").count == 2)
        #expect(try fixture.run(["requests", "list", "--since", "2024-05-01T07:05:00-0500"]).output.split(separator: "\n").count == 3)
        #expect(try fixture.run(["requests", "list", "--since", "2024-05-01t12:05:00z"]).output.split(separator: "\n").count == 3)
        #expect(try fixture.run(["requests", "list", "--since", "2024-05-01T17:05:00+05"]).output.split(separator: "\n").count == 3)
        #expect(try fixture.run(["requests", "list", "--since", "2024-02-29"]).output.split(separator: "\n").count == 4)
    }

    @Test("unknown domain names the value")
    func unknownDomain() throws {
        let fixture = try seeded()
        defer { fixture.finish() }

        #expect(throws: AdminError.notFound(entity: "domain", key: "lab")) {
            try fixture.run(["requests", "list", "--domain", "lab"])
        }
    }
}
