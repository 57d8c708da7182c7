import Foundation
import Store
import Testing

@Suite("Store records")
struct StoreRecordTests {
    @Test("domain settings round trip")
    func domainRoundTrip() throws {
        let fixture = try StoreFixture()
        defer { fixture.finish() }
        let domain = DomainRecord(
            name: "factory", caID: fixture.ca.id, authMode: .certificateAndBasic, trustAnchorsPEM: "PEM",
            retryAfterSeconds: 120, automaticRetryAfterSeconds: 2, csrAttributes: ["1.2.840.113549.1.9.7"],
            channelBindingRequired: true, autoRegisterDevices: true, defaultProfile: "tls-client",
            profiles: ["tls-client", "tls-server"])

        let stored = try fixture.store.transaction { try $0.insertDomain(domain) }

        #expect(try fixture.store.read { try $0.domain(id: stored.id) } == stored)
        #expect(try fixture.store.read { try $0.domain(named: "factory") } == stored)
        #expect(try fixture.store.read { try $0.listDomains().map(\.name) } == ["default", "factory"])
    }

    @Test("domain JSON edited by another process")
    func domainJSONEditedElsewhere() throws {
        let fixture = try StoreFixture()
        defer { fixture.finish() }
        _ = try fixture.store.read { try $0.domain(named: "default") }

        _ = try SQLiteShell.errorOutput(fixture.path, "UPDATE domains SET profiles = '[\"device\",' WHERE name = 'default'")
        for _ in 0..<2 {
            let error = #expect(throws: StoreError.self) { try fixture.store.read { try $0.domain(named: "default") } }
            #expect(error?.description.contains("profiles") == true)
        }

        _ = try SQLiteShell.errorOutput(fixture.path, "UPDATE domains SET profiles = '[\"device\",\"router\"]' WHERE name = 'default'")
        #expect(try fixture.store.read { try $0.domain(named: "default") }?.profiles == ["device", "router"])
    }

    @Test("domain defaults from schema")
    func domainDefaults() throws {
        let fixture = try StoreFixture()
        defer { fixture.finish() }

        let domain = try #require(try fixture.store.read { try $0.domain(named: "default") })

        #expect(domain.retryAfterSeconds == 60)
        #expect(domain.automaticRetryAfterSeconds == 5)
        #expect(domain.csrAttributes == [])
    }

    @Test("device lookups by name and serial")
    func deviceLookups() throws {
        let fixture = try StoreFixture()
        defer { fixture.finish() }

        let device = try fixture.store.transaction {
            try $0.insertDevice(
                DeviceRecord(name: "sensor-1", serialNumber: "SN-1", domainID: fixture.domain.id,
                             attributes: ["site": "berlin"]))
        }

        #expect(try fixture.store.read { try $0.device(id: device.id) } == device)
        #expect(try fixture.store.read { try $0.device(named: "sensor-1", domainID: fixture.domain.id) } == device)
        #expect(try fixture.store.read { try $0.devices(serialNumber: "SN-1") } == [device])
        #expect(try fixture.store.read { try $0.device(named: "sensor-1", domainID: 999) } == nil)
    }

    @Test("device name unique in domain")
    func deviceNameUnique() throws {
        let fixture = try StoreFixture()
        defer { fixture.finish() }
        let device = DeviceRecord(name: "sensor-1", domainID: fixture.domain.id)
        _ = try fixture.store.transaction { try $0.insertDevice(device) }

        let error = #expect(throws: StoreError.self) {
            try fixture.store.transaction { try $0.insertDevice(device) }
        }

        #expect(
            error == .uniqueConstraint(
                operation: "inserting device sensor-1", message: "UNIQUE constraint failed: devices.domain_id, devices.name"))
    }

    @Test("device update marks deleted")
    func deviceUpdate() throws {
        let fixture = try StoreFixture()
        defer { fixture.finish() }
        var device = try fixture.store.transaction { try $0.insertDevice(DeviceRecord(name: "d", domainID: fixture.domain.id)) }

        device.status = .deleted
        try fixture.store.transaction { try $0.updateDevice(device) }

        #expect(try fixture.store.read { try $0.device(id: device.id)?.status } == .deleted)
    }

    @Test("update of missing row")
    func updateMissing() throws {
        let fixture = try StoreFixture()
        defer { fixture.finish() }

        let error = #expect(throws: StoreError.self) {
            try fixture.store.transaction { try $0.updateDevice(DeviceRecord(id: 42, name: "ghost", domainID: 1)) }
        }

        #expect(error == .notFound(entity: "device", key: "42"))
        #expect(error?.description == "device 42 not found")
    }

    @Test("definition import adds versions")
    func definitionVersions() throws {
        let fixture = try StoreFixture()
        defer { fixture.finish() }
        let start = Date(timeIntervalSince1970: 1_800_000_000)

        let first = try fixture.store.transaction { try $0.importDefinition(name: "approval", definition: "{}", at: start) }
        let second = try fixture.store.transaction {
            try $0.importDefinition(name: "approval", definition: "{\"steps\":[]}", at: start.addingTimeInterval(1))
        }
        try fixture.store.transaction { try $0.setPublished(definitionID: second.id, true, at: start.addingTimeInterval(2)) }

        #expect(first.version == 1)
        #expect(second.version == 2)
        #expect(try fixture.store.read { try $0.listDefinitions().map(\.id) } == [second.id, first.id])
        #expect(try fixture.store.read { try $0.publishedDefinitions().map(\.id) } == [second.id])
        #expect(try fixture.store.read { try $0.definition(id: first.id)?.published } == false)
    }

    @Test("scope tuple unique with nulls")
    func scopeUniqueWithNulls() throws {
        let fixture = try StoreFixture()
        defer { fixture.finish() }
        let definition = try fixture.store.transaction { try $0.importDefinition(name: "w", definition: "{}", at: Date()) }
        let scope = WorkflowScopeRecord(definitionID: definition.id, domainID: fixture.domain.id)
        let stored = try fixture.store.transaction { try $0.addScope(scope) }

        let error = #expect(throws: StoreError.self) {
            try fixture.store.transaction { try $0.addScope(scope) }
        }

        #expect(error == .uniqueConstraint(
            operation: "adding a scope to workflow \(definition.id)",
            message: "UNIQUE constraint failed: index 'workflow_scopes_unique'"))
        #expect(try fixture.store.read { try $0.scopes(definitionID: definition.id) } == [stored])
    }

    @Test("scope removal")
    func scopeRemoval() throws {
        let fixture = try StoreFixture()
        defer { fixture.finish() }
        let definition = try fixture.store.transaction { try $0.importDefinition(name: "w", definition: "{}", at: Date()) }
        let scope = try fixture.store.transaction { try $0.addScope(WorkflowScopeRecord(definitionID: definition.id, caID: fixture.ca.id)) }

        try fixture.store.transaction { try $0.removeScope(id: scope.id) }
        let error = #expect(throws: StoreError.self) {
            try fixture.store.transaction { try $0.removeScope(id: scope.id) }
        }

        #expect(error == .notFound(entity: "workflow scope", key: String(scope.id)))
        #expect(try fixture.store.read { try $0.scopes(definitionID: definition.id) } == [])
    }

    @Test("scope matching rules")
    func scopeMatching() {
        let cases: [(WorkflowScopeRecord, Bool)] = [
            (WorkflowScopeRecord(definitionID: 1), true),
            (WorkflowScopeRecord(definitionID: 1, caID: 1), true),
            (WorkflowScopeRecord(definitionID: 1, caID: 2), false),
            (WorkflowScopeRecord(definitionID: 1, domainID: 10), true),
            (WorkflowScopeRecord(definitionID: 1, domainID: 11), false),
            (WorkflowScopeRecord(definitionID: 1, deviceID: 100), true),
            (WorkflowScopeRecord(definitionID: 1, deviceID: 101), false),
            (WorkflowScopeRecord(definitionID: 1, caID: 1, domainID: 10, deviceID: 100), true),
            (WorkflowScopeRecord(definitionID: 1, caID: 1, domainID: 11), false),
        ]

        for (scope, expected) in cases {
            #expect(scope.matches(caID: 1, domainID: 10, deviceID: 100) == expected, "\(scope)")
        }
        #expect(!WorkflowScopeRecord(definitionID: 1, deviceID: 100).matches(caID: 1, domainID: 10, deviceID: nil))
    }

    @Test("step runs append only")
    func stepRunsAppendOnly() throws {
        let fixture = try StoreFixture()
        defer { fixture.finish() }
        let request = fixture.request(fixture.key())
        let definition = try fixture.store.transaction { try $0.importDefinition(name: "w", definition: "{}", at: Date()) }
        let instance = try fixture.store.transaction { session in
            try session.insertEnrollmentRequest(request)
            return try session.insertInstance(
                WorkflowInstanceRecord(definitionID: definition.id, parent: .enrollmentRequest(request.id),
                                       currentStep: "approve", state: "Running"))
        }

        let runs = try fixture.store.transaction { session in
            [
                try session.appendStepRun(WorkflowStepRunRecord(instanceID: instance.id, stepID: "check", stepType: "Condition", state: "Running")),
                try session.appendStepRun(WorkflowStepRunRecord(instanceID: instance.id, stepID: "approve", stepType: "Approval", state: "Approved", actor: "alice")),
            ]
        }

        #expect(runs.map(\.runIndex) == [1, 2])
        #expect(try fixture.store.read { try $0.stepRuns(instanceID: instance.id) } == runs)
        let output = try SQLiteShell.errorOutput(fixture.path, "DELETE FROM workflow_step_runs")
        #expect(output.contains("workflow_step_runs is append-only"))
    }

    @Test("audit events filtered in order")
    func auditEvents() throws {
        let fixture = try StoreFixture()
        defer { fixture.finish() }
        let start = Date(timeIntervalSince1970: 1_800_000_000)

        let events = try fixture.store.transaction { session in
            [
                try session.appendAuditEvent(AuditEventRecord(time: start, event: "request.created", requestID: "r1")),
                try session.appendAuditEvent(AuditEventRecord(time: start.addingTimeInterval(5), event: "device.created", deviceID: 7)),
                try session.appendAuditEvent(AuditEventRecord(
                    time: start.addingTimeInterval(10), event: "request.decided", requestID: "r1", actor: "alice",
                    comment: "ok", previousState: "AwaitingApproval", newState: "Approved")),
            ]
        }

        #expect(try fixture.store.read { try $0.auditEvents(AuditEventFilter()) } == events)
        #expect(try fixture.store.read { try $0.auditEvents(AuditEventFilter(requestID: "r1")) } == [events[0], events[2]])
        #expect(try fixture.store.read { try $0.auditEvents(AuditEventFilter(deviceID: 7)) } == [events[1]])
        #expect(try fixture.store.read { try $0.auditEvents(AuditEventFilter(since: start.addingTimeInterval(5))) } == [events[1], events[2]])
        #expect(try fixture.store.read { try $0.auditEvents(AuditEventFilter(limit: 1)) } == [events[0]])
        let output = try SQLiteShell.errorOutput(fixture.path, "UPDATE audit_events SET actor = 'mallory'")
        #expect(output.contains("audit_events is append-only"))
    }

    @Test("audit pages by id")
    func auditPaging() throws {
        let fixture = try StoreFixture()
        defer { fixture.finish() }
        #expect(try fixture.store.read { try $0.newestAuditEventID() } == nil)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let events = try fixture.store.transaction { session in
            try (0..<6).map { index in
                try session.appendAuditEvent(AuditEventRecord(
                    time: start.addingTimeInterval(Double(index)), event: "e\(index)", requestID: index.isMultiple(of: 2) ? "even" : "odd"))
            }
        }
        let ids = events.map(\.id)

        func read(_ filter: AuditEventFilter) throws -> [Int64] {
            try fixture.store.read { try $0.auditEvents(filter).map(\.id) }
        }
        func oldest(_ count: Int, _ filter: AuditEventFilter) throws -> Int64? {
            try fixture.store.read { try $0.oldestAuditEventID(amongNewest: count, matching: filter) }
        }

        #expect(try read(AuditEventFilter(afterID: ids[3])) == [ids[4], ids[5]])
        #expect(try read(AuditEventFilter(requestID: "even", afterID: ids[0], limit: 1)) == [ids[2]])
        #expect(try oldest(2, AuditEventFilter()) == ids[4])
        #expect(try oldest(2, AuditEventFilter(requestID: "odd")) == ids[3])
        #expect(try oldest(10, AuditEventFilter(requestID: "odd")) == ids[1])
        #expect(try oldest(1, AuditEventFilter(requestID: "none")) == nil)
        #expect(try fixture.store.read { try $0.newestAuditEventID() } == ids[5])
    }
}
