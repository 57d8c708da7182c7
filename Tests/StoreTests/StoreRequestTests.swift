import Foundation
import Store
import TestSupport
import Testing

@Suite("Store requests")
struct StoreRequestTests {
    @Test("one open request per key")
    func oneOpenRequestPerKey() throws {
        let fixture = try StoreFixture()
        defer { fixture.finish() }
        let first = fixture.request(fixture.key())
        try fixture.store.transaction { try $0.insertEnrollmentRequest(first) }

        let duplicate = fixture.request(fixture.key())
        let error = #expect(throws: StoreError.self) {
            try fixture.store.transaction { try $0.insertEnrollmentRequest(duplicate) }
        }

        #expect(error == .uniqueConstraint(
            operation: "inserting enrollment request \(duplicate.id)",
            message: "UNIQUE constraint failed: index 'enrollment_requests_open_identity'"))
        #expect(try fixture.store.read { try $0.openEnrollmentRequest(key: fixture.key()) } == first)
    }

    @Test("open index covers missing device")
    func openIndexWithoutDevice() throws {
        let fixture = try StoreFixture()
        defer { fixture.finish() }
        let key = fixture.key(deviceID: nil)
        try fixture.store.transaction { try $0.insertEnrollmentRequest(fixture.request(key)) }

        #expect(throws: StoreError.self) {
            try fixture.store.transaction { try $0.insertEnrollmentRequest(fixture.request(key)) }
        }
    }

    @Test("finalized request frees key")
    func finalizedFreesKey() throws {
        let fixture = try StoreFixture()
        defer { fixture.finish() }
        var first = fixture.request(fixture.key())
        try fixture.store.transaction { try $0.insertEnrollmentRequest(first) }

        first.finalized = true
        first.aggregatedState = "Rejected"
        first.reason = "not ours"
        try fixture.store.transaction { try $0.updateEnrollmentRequest(first) }
        let second = fixture.request(fixture.key())
        try fixture.store.transaction { try $0.insertEnrollmentRequest(second) }

        #expect(try fixture.store.read { try $0.openEnrollmentRequest(key: fixture.key()) } == second)
        #expect(try fixture.store.read { try $0.enrollmentRequest(id: first.id)?.reason } == "not ours")
        #expect(try fixture.store.read { try $0.latestEnrollmentRequest(key: fixture.key())?.id } != nil)
    }

    @Test("latest request by key")
    func latestRequestByKey() throws {
        let fixture = try StoreFixture()
        defer { fixture.finish() }
        var old = fixture.request(fixture.key())
        old.createdAt = Date(timeIntervalSince1970: 1_800_000_000)
        old.finalized = true
        var new = fixture.request(fixture.key())
        new.createdAt = Date(timeIntervalSince1970: 1_800_000_100)
        new.finalized = true
        try fixture.store.transaction { session in
            try session.insertEnrollmentRequest(old)
            try session.insertEnrollmentRequest(new)
        }

        #expect(try fixture.store.read { try $0.latestEnrollmentRequest(key: fixture.key())?.id } == new.id)
        #expect(try fixture.store.read { try $0.latestEnrollmentRequest(key: fixture.key(fingerprint: "ff")) } == nil)
        #expect(try fixture.store.read { try $0.openEnrollmentRequest(key: fixture.key()) } == nil)
    }

    @Test("request list filters")
    func listFilters() throws {
        let fixture = try StoreFixture()
        defer { fixture.finish() }
        let device = try fixture.store.transaction { try $0.insertDevice(DeviceRecord(name: "d1", domainID: fixture.domain.id)) }
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        var requests: [EnrollmentRequestRecord] = []
        for index in 0..<4 {
            var request = fixture.request(
                fixture.key(fingerprint: "fp\(index)", deviceID: index.isMultiple(of: 2) ? device.id : nil),
                state: index < 2 ? "AwaitingApproval" : "Rejected")
            request.createdAt = start.addingTimeInterval(Double(index) * 10).storePrecision
            request.updatedAt = request.createdAt
            requests.append(request)
        }
        try fixture.store.transaction { session in
            for request in requests {
                try session.insertEnrollmentRequest(request)
            }
        }

        func ids(_ filter: EnrollmentRequestFilter) throws -> [String] {
            try fixture.store.read { try $0.listEnrollmentRequests(filter).map(\.id) }
        }
        #expect(try ids(EnrollmentRequestFilter()) == requests.reversed().map(\.id))
        #expect(try ids(EnrollmentRequestFilter(state: "Rejected")) == [requests[3].id, requests[2].id])
        #expect(try ids(EnrollmentRequestFilter(deviceID: device.id)) == [requests[2].id, requests[0].id])
        #expect(try ids(EnrollmentRequestFilter(domainID: fixture.domain.id, limit: 1)) == [requests[3].id])
        #expect(try ids(EnrollmentRequestFilter(since: start.addingTimeInterval(15))) == [requests[3].id, requests[2].id])
        #expect(try ids(EnrollmentRequestFilter(domainID: 999)) == [])
        #expect(try fixture.store.read { try $0.enrollmentRequest(id: requests[1].id) } == requests[1])
    }

    @Test("one certificate per request")
    func oneCertificatePerRequest() throws {
        let fixture = try StoreFixture()
        defer { fixture.finish() }
        let request = fixture.request(fixture.key())
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let certificate = IssuedCertificateRecord(
            serialNumber: "01ab", subject: "CN=device", notBefore: start, notAfter: start.addingTimeInterval(86_400),
            der: [0x30, 0x01, 0x00], requestID: request.id)
        let stored = try fixture.store.transaction { session in
            try session.insertEnrollmentRequest(request)
            return try session.insertIssuedCertificate(certificate)
        }

        var second = certificate
        second.serialNumber = "01ac"
        let error = #expect(throws: StoreError.self) {
            try fixture.store.transaction { try $0.insertIssuedCertificate(second) }
        }

        #expect(error == .uniqueConstraint(
            operation: "storing certificate 01ac", message: "UNIQUE constraint failed: issued_certificates.request_id"))
        #expect(try fixture.store.read { try $0.issuedCertificate(requestID: request.id) } == stored)
        #expect(try fixture.store.read { try $0.issuedCertificate(id: stored.id) } == stored)
    }

    @Test("issued certificate presence per device")
    func issuedCertificatePresence() throws {
        let fixture = try StoreFixture()
        defer { fixture.finish() }
        let (device, other) = try fixture.store.transaction { session in
            (try session.insertDevice(DeviceRecord(name: "dev1", domainID: fixture.domain.id)),
             try session.insertDevice(DeviceRecord(name: "dev2", domainID: fixture.domain.id)))
        }
        #expect(try fixture.store.read { try $0.hasIssuedCertificate(deviceID: device.id) } == false)

        let start = Date(timeIntervalSince1970: 1_800_000_000)
        try fixture.store.transaction { session in
            _ = try session.insertIssuedCertificate(IssuedCertificateRecord(
                serialNumber: "0a", subject: "CN=dev1", notBefore: start, notAfter: start.addingTimeInterval(86_400),
                der: [0x30], deviceID: device.id))
        }

        #expect(try fixture.store.read { try $0.hasIssuedCertificate(deviceID: device.id) } == true)
        #expect(try fixture.store.read { try $0.hasIssuedCertificate(deviceID: other.id) } == false)
    }

    @Test("request ids by prefix")
    func requestIDsByPrefix() throws {
        let fixture = try StoreFixture()
        defer { fixture.finish() }
        let ids = [
            "abcd2222-0000-4000-8000-000000000002", "abcd1111-0000-4000-8000-000000000001",
            "abce0000-0000-4000-8000-000000000003",
        ]
        try fixture.store.transaction { session in
            for (index, id) in ids.enumerated() {
                try session.insertEnrollmentRequest(fixture.request(fixture.key(fingerprint: String(index)), id: id))
            }
        }

        func lookup(_ prefix: String, limit: Int = 5) throws -> [String] {
            try fixture.store.read { try $0.enrollmentRequests(idPrefix: prefix, limit: limit).map(\.id) }
        }
        func count(_ prefix: String) throws -> Int {
            try fixture.store.read { try $0.countEnrollmentRequests(idPrefix: prefix) }
        }
        #expect(try lookup("ABCD") == [ids[1], ids[0]])
        #expect(try lookup("abc") == [ids[1], ids[0], ids[2]])
        #expect(try lookup("abc", limit: 2) == [ids[1], ids[0]])
        #expect(try lookup("abcd2222-") == [ids[0]])
        #expect(try lookup("abcz").isEmpty)
        #expect(try lookup("").isEmpty)
        #expect(try count("ABC") == 3)
        #expect(try count("abcd") == 2)
        #expect(try count("abc!") == 0)
    }

    @Test("device requests by prefix")
    func deviceRequestsByPrefix() throws {
        let fixture = try StoreFixture()
        defer { fixture.finish() }
        let ids = ["abcd2222-0000-4000-8000-000000000002", "abcd1111-0000-4000-8000-000000000001"]
        let time = Date(timeIntervalSince1970: 1_800_000_000)
        try fixture.store.transaction { session in
            let device = try session.insertDevice(DeviceRecord(name: "dev1", domainID: fixture.domain.id))
            for id in ids {
                try session.insertDeviceRequest(DeviceRequestRecord(
                    id: id, deviceID: device.id, domainID: fixture.domain.id, caID: nil, action: .created,
                    aggregatedState: "Finalized", finalized: true, createdAt: time, updatedAt: time))
            }
        }

        func lookup(_ prefix: String, limit: Int = 5) throws -> [String] {
            try fixture.store.read { try $0.deviceRequests(idPrefix: prefix, limit: limit).map(\.id) }
        }
        #expect(try lookup("ABCD") == [ids[1], ids[0]])
        #expect(try lookup("abcd", limit: 1) == [ids[1]])
        #expect(try lookup("abcd2").isEmpty == false)
        #expect(try lookup("abce").isEmpty)
        #expect(try fixture.store.read { try $0.countDeviceRequests(idPrefix: "abcd") } == 2)
        #expect(try fixture.store.read { try $0.countDeviceRequests(idPrefix: "zz") } == 0)
    }

    @Test("certificates by serial prefix")
    func certificatesBySerialPrefix() throws {
        let fixture = try StoreFixture()
        defer { fixture.finish() }
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        try fixture.store.transaction { session in
            for serial in ["0a2f", "0a1b2c", "ff00", "0a1b"] {
                _ = try session.insertIssuedCertificate(IssuedCertificateRecord(
                    serialNumber: serial, subject: "CN=\(serial)", notBefore: start,
                    notAfter: start.addingTimeInterval(86_400), der: [0x30]))
            }
        }

        func serials(_ prefix: String, limit: Int = 5) throws -> [String] {
            try fixture.store.read { try $0.issuedCertificates(serialPrefix: prefix, limit: limit).map(\.serialNumber) }
        }
        func count(_ prefix: String) throws -> Int {
            try fixture.store.read { try $0.countIssuedCertificates(serialPrefix: prefix) }
        }
        #expect(try serials("0A") == ["0a1b", "0a1b2c", "0a2f"])
        #expect(try serials("0a", limit: 2) == ["0a1b", "0a1b2c"])
        #expect(try serials("0a1b") == ["0a1b", "0a1b2c"])
        #expect(try serials("0a:1b").isEmpty)
        #expect(try count("0a") == 3)
        #expect(try count("f") == 1)
        #expect(try count("g") == 0)
    }

    @Test("prefix lookups read an index range")
    func prefixLookupsUseIndexes() throws {
        let fixture = try StoreFixture()
        defer { fixture.finish() }

        let requestPlan = try ProcessRunner.check("sqlite3", [fixture.path, """
            EXPLAIN QUERY PLAN SELECT * FROM enrollment_requests WHERE id >= 'ab' AND id < 'ab~' ORDER BY id LIMIT 5
            """]).output
        let certificatePlan = try ProcessRunner.check("sqlite3", [fixture.path, """
            EXPLAIN QUERY PLAN SELECT * FROM issued_certificates
            WHERE serial_number >= 'ab' AND serial_number < 'ab~' ORDER BY serial_number LIMIT 5
            """]).output

        #expect(requestPlan.contains("SEARCH enrollment_requests USING INDEX sqlite_autoindex_enrollment_requests_1 (id>? AND id<?)"))
        #expect(certificatePlan.contains("SEARCH issued_certificates USING INDEX sqlite_autoindex_issued_certificates_1 (serial_number>? AND serial_number<?)"))
    }

    @Test("certificate expiry filter")
    func certificateExpiryFilter() throws {
        let fixture = try StoreFixture()
        defer { fixture.finish() }
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let certificates = try fixture.store.transaction { session in
            try (1...3).map { day in
                try session.insertIssuedCertificate(IssuedCertificateRecord(
                    serialNumber: "0\(day)", subject: "CN=\(day)", notBefore: start,
                    notAfter: start.addingTimeInterval(Double(day) * 86_400), der: [0x30]))
            }
        }

        let expiring = try fixture.store.read {
            try $0.listIssuedCertificates(IssuedCertificateFilter(expiringBefore: start.addingTimeInterval(2.5 * 86_400)))
        }

        #expect(expiring == Array(certificates.prefix(2)))
    }

    @Test("due instances leased once")
    func dueInstancesLeasedOnce() throws {
        let fixture = try StoreFixture()
        defer { fixture.finish() }
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let request = fixture.request(fixture.key())
        let definition = try fixture.store.transaction { try $0.importDefinition(name: "w", definition: "{}", at: now) }
        let instance = try fixture.store.transaction { session in
            try session.insertEnrollmentRequest(request)
            return try session.insertInstance(WorkflowInstanceRecord(
                definitionID: definition.id, parent: .enrollmentRequest(request.id), currentStep: "hook",
                state: "Running", nextRunAt: now))
        }

        let claimed = try fixture.store.transaction {
            try $0.claimDueInstances(now: now, leaseUntil: now.addingTimeInterval(30), limit: 10)
        }
        let again = try fixture.store.transaction {
            try $0.claimDueInstances(now: now.addingTimeInterval(1), leaseUntil: now.addingTimeInterval(31), limit: 10)
        }
        let afterLease = try fixture.store.transaction {
            try $0.claimDueInstances(now: now.addingTimeInterval(31), leaseUntil: now.addingTimeInterval(61), limit: 10)
        }

        #expect(claimed == [instance])
        #expect(again == [])
        #expect(afterLease.map(\.id) == [instance.id])
        #expect(try fixture.store.read { try $0.instances(parent: .enrollmentRequest(request.id)) } == [instance])
    }
}
