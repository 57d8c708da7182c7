import Admin
import ArgumentParsing
import Foundation
import PKI
import Store
import Testing

@Suite("devices commands")
struct DeviceCommandTests {
    @Test("add reads password and raises event")
    func add() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }

        let result = try fixture.run(
            ["devices", "add", "sensor-1", "--domain", "open", "--password-stdin", "--serial", "SN-1",
             "--attribute", "site=berlin", "--attribute", "line=3"],
            standardInput: "s3cret pass\n")

        let device = try #require(try fixture.store.read { try $0.device(named: "sensor-1", domainID: fixture.open.id) })
        let hash = try #require(device.credentialHash)
        #expect(PasswordHash.verify("s3cret pass", against: hash))
        #expect(!PasswordHash.verify("s3cret pass\n", against: hash))
        #expect(device.serialNumber == "SN-1")
        #expect(device.attributes == ["site": "berlin", "line": "3"])
        let events = try fixture.store.read { try $0.listDeviceRequests(deviceID: device.id) }
        #expect(events.map(\.action) == [.created])
        #expect(result.output == """
            Added device sensor-1 (id \(device.id)) to domain open.
            Device request \(events[0].id) for the created event is Finalized.

            """)
    }

    @Test("add rejects duplicates and bad input")
    func addErrors() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }
        _ = try fixture.run(["devices", "add", "sensor-1", "--domain", "open"])

        #expect(throws: AdminError.alreadyExists(entity: "device", key: "sensor-1\" in domain \"open")) {
            try fixture.run(["devices", "add", "sensor-1", "--domain", "open"])
        }
        #expect(throws: AdminError.emptyPassword) {
            try fixture.run(["devices", "add", "sensor-2", "--domain", "open", "--password-stdin"], standardInput: "\n")
        }
        #expect(fixture.usageError(["devices", "add", "sensor-2"])?.message == "missing --domain NAME: a device is added to one domain")
        #expect(fixture.usageError(["devices", "add", "sensor-2", "--domain", "open", "--attribute", "=x"])?.message
            == "invalid value \"=x\" for --attribute: expected KEY=VALUE with a non-empty KEY")
        #expect(AdminError.alreadyExists(entity: "device", key: "sensor-1\" in domain \"open").description
            == "device \"sensor-1\" in domain \"open\" already exists")
    }

    @Test("list table is aligned")
    func listGolden() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }
        _ = try fixture.addDevice("sensor-1", domain: fixture.factory, serial: "SN-0001", attributes: ["site": "berlin"])
        fixture.clock.advance(seconds: 60)
        _ = try fixture.addDevice("cam-7", domain: fixture.open)
        _ = try fixture.run(["devices", "set-password", "cam-7"], standardInput: "pw")

        let result = try fixture.run(["devices", "list"])

        #expect(result.output == """
            ID  NAME      DOMAIN   SERIAL   STATUS  PASSWORD  ATTRIBUTES   CREATED
            1   sensor-1  factory  SN-0001  active  none      site=berlin  2024-05-01T12:00:00Z
            2   cam-7     open     -        active  set       -            2024-05-01T12:01:00Z

            """)
    }

    @Test("list json filters by domain")
    func listJSON() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }
        _ = try fixture.addDevice("sensor-1", domain: fixture.factory, attributes: ["site": "berlin"])
        _ = try fixture.addDevice("cam-7", domain: fixture.open)

        let rows = try #require(try fixture.json(["devices", "list", "--domain", "factory", "--json"]) as? [[String: Any]])

        #expect(rows.count == 1)
        #expect(rows.first?["name"] as? String == "sensor-1")
        #expect(rows.first?["domain"] as? String == "factory")
        #expect(rows.first?["status"] as? String == "active")
        #expect(rows.first?["has_password"] as? Bool == false)
        #expect(rows.first?["attributes"] as? [String: String] == ["site": "berlin"])
        #expect(rows.first?["serial_number"] is NSNull)
    }

    @Test("delete keeps history and raises event")
    func delete() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }
        _ = try fixture.run(["devices", "add", "sensor-1", "--domain", "open", "--password-stdin"], standardInput: "pw")

        let result = try fixture.run(["devices", "delete", "sensor-1"])

        let device = try #require(try fixture.store.read { try $0.device(named: "sensor-1", domainID: fixture.open.id) })
        #expect(device.status == .deleted)
        #expect(device.credentialHash == nil)
        #expect(result.output.hasPrefix("Deleted device sensor-1 (id \(device.id)); its certificates and history are kept.\n"))
        let actions = try fixture.store.read { try $0.listDeviceRequests(deviceID: device.id) }.map(\.action)
        #expect(Set(actions) == [.created, .deleted])
        let audit = try fixture.store.read { try $0.auditEvents(AuditEventFilter(deviceID: device.id)) }
        #expect(audit.map(\.event).contains("device.deleted"))
        #expect(audit.filter { $0.event.hasPrefix("device.") }.map(\.actor) == ["alice", "alice"])
        #expect(throws: AdminError.deviceDeleted(name: "sensor-1", domain: "open")) {
            try fixture.run(["devices", "delete", "sensor-1"])
        }
        #expect(throws: AdminError.deviceDeleted(name: "sensor-1", domain: "open")) {
            try fixture.run(["devices", "set-password", "sensor-1"], standardInput: "pw")
        }
    }

    @Test("set password records audit row")
    func setPassword() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }
        let device = try fixture.addDevice("sensor-1", domain: fixture.factory)

        let result = try fixture.run(["devices", "set-password", "sensor-1", "--domain", "factory"], standardInput: "new-pw\r\n")

        #expect(result.output == "Set the password of device sensor-1 (id \(device.id)).\n")
        let stored = try #require(try fixture.store.read { try $0.device(id: device.id) }?.credentialHash)
        #expect(PasswordHash.verify("new-pw", against: stored))
        let audit = try fixture.store.read { try $0.auditEvents(AuditEventFilter(deviceID: device.id)) }
        #expect(audit.map(\.event) == ["device.password_set"])
        #expect(audit.first?.actor == "alice")
    }

    @Test("same name in two domains is ambiguous")
    func ambiguousName() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }
        _ = try fixture.addDevice("sensor-1", domain: fixture.factory)
        _ = try fixture.addDevice("sensor-1", domain: fixture.open)

        #expect(throws: AdminError.ambiguousDevice(name: "sensor-1", domains: ["factory", "open"])) {
            try fixture.run(["devices", "show", "sensor-1"])
        }
        #expect(try fixture.run(["devices", "show", "sensor-1", "--domain", "open"]).output.contains("Domain       open\n"))
        #expect(throws: AdminError.notFound(entity: "device", key: "ghost")) {
            try fixture.run(["devices", "show", "ghost"])
        }
    }

    @Test("show json lists events and certificates")
    func showJSON() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }
        _ = try fixture.run(["devices", "add", "sensor-1", "--domain", "factory"])
        let device = try #require(try fixture.store.read { try $0.device(named: "sensor-1", domainID: fixture.factory.id) })
        try fixture.store.transaction { session in
            _ = try session.insertIssuedCertificate(IssuedCertificateRecord(
                serialNumber: "0a1b", subject: "CN=sensor-1", notBefore: TestClock.start,
                notAfter: TestClock.start.addingTimeInterval(86400), der: [0x30, 0x00], deviceID: device.id))
        }

        let object = try #require(try fixture.json(["devices", "show", "sensor-1", "--json"]) as? [String: Any])

        #expect(object["name"] as? String == "sensor-1")
        #expect((object["certificates"] as? [[String: Any]])?.first?["serial_number"] as? String == "0a1b")
        #expect((object["device_requests"] as? [[String: Any]])?.first?["action"] as? String == "created")
    }
}
