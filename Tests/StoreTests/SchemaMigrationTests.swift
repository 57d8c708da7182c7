import Foundation
import Store
import Testing
import TestSupport

@Suite("Schema migrations")
struct SchemaMigrationTests {
    @Test("fresh database latest version")
    func freshDatabase() throws {
        let fixture = try StoreFixture()
        defer { fixture.finish() }

        #expect(try fixture.store.schemaVersion == SQLiteStore.supportedSchemaVersion)
        let tables = try ProcessRunner.check("sqlite3", [fixture.path, ".tables"]).output
        for table in ["cas", "domains", "profiles", "devices", "workflow_definitions", "workflow_scopes",
                      "enrollment_requests", "device_requests", "workflow_instances", "workflow_step_runs",
                      "issued_certificates", "audit_events"] {
            #expect(tables.contains(table), "missing table \(table)")
        }
    }

    @Test("database uses WAL journal")
    func walJournal() throws {
        let fixture = try StoreFixture()
        defer { fixture.finish() }

        let mode = try ProcessRunner.check("sqlite3", [fixture.path, "PRAGMA journal_mode"]).output
        #expect(mode.trimmingCharacters(in: .whitespacesAndNewlines) == "wal")
    }

    @Test("reopen keeps data and version")
    func reopenKeepsData() throws {
        let fixture = try StoreFixture()
        defer { fixture.finish() }

        try fixture.reopen()

        #expect(try fixture.store.schemaVersion == SQLiteStore.supportedSchemaVersion)
        let domain = try fixture.store.read { try $0.domain(named: "default") }
        #expect(domain == fixture.domain)
    }

    @Test("newer schema refused with versions")
    func newerSchemaRefused() throws {
        let fixture = try StoreFixture()
        defer { fixture.finish() }
        try fixture.store.close()
        let newer = SQLiteStore.supportedSchemaVersion + 1
        try ProcessRunner.check("sqlite3", [fixture.path, "PRAGMA user_version = \(newer)"])

        let error = #expect(throws: StoreError.self) { try SQLiteStore(path: fixture.path) }

        #expect(
            error == .schemaTooNew(
                path: fixture.path, databaseVersion: newer, supportedVersion: SQLiteStore.supportedSchemaVersion))
        #expect(
            error?.description == "database \(fixture.path) has schema version \(newer), but this estgate supports "
                + "schema versions up to \(SQLiteStore.supportedSchemaVersion); upgrade estgate to open it")
    }

    @Test("foreign keys enforced")
    func foreignKeysEnforced() throws {
        let fixture = try StoreFixture()
        defer { fixture.finish() }

        let error = #expect(throws: StoreError.self) {
            try fixture.store.transaction { try $0.insertDomain(DomainRecord(name: "orphan", caID: 999)) }
        }

        #expect(error == .sqlite(code: 787, operation: "inserting domain orphan", message: "FOREIGN KEY constraint failed"))
    }

    @Test("transaction rolls back on throw")
    func transactionRollsBack() throws {
        struct Abandon: Error {}
        let fixture = try StoreFixture()
        defer { fixture.finish() }

        #expect(throws: Abandon.self) {
            try fixture.store.transaction { session in
                _ = try session.insertProfile(ProfileRecord(name: "tls-client", definition: "{}"))
                throw Abandon()
            }
        }

        #expect(try fixture.store.read { try $0.profile(named: "tls-client") } == nil)
    }

    @Test("version 2 database gains the ordered indexes")
    func versionTwoUpgrade() throws {
        let fixture = try StoreFixture()
        defer { fixture.finish() }
        let request = fixture.request(fixture.key())
        try fixture.store.transaction { try $0.insertEnrollmentRequest(request) }
        try fixture.store.close()
        try ProcessRunner.check("sqlite3", [fixture.path, """
            DROP INDEX enrollment_requests_state_created;
            CREATE INDEX enrollment_requests_aggregated_state ON enrollment_requests (aggregated_state);
            DROP INDEX enrollment_requests_device_created;
            CREATE INDEX enrollment_requests_device ON enrollment_requests (device_id);
            PRAGMA user_version = 2;
            """])

        let store = try SQLiteStore(path: fixture.path)
        defer { try? store.close() }
        let indexes = Set(try ProcessRunner.check("sqlite3", [
            fixture.path, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'enrollment_requests'",
        ]).output.split(separator: "\n").map(String.init))

        #expect(try store.schemaVersion == 3)
        #expect(indexes.contains("enrollment_requests_state_created"))
        #expect(indexes.contains("enrollment_requests_device_created"))
        #expect(!indexes.contains("enrollment_requests_aggregated_state"))
        #expect(!indexes.contains("enrollment_requests_device"))
        #expect(try store.read { try $0.listEnrollmentRequests(EnrollmentRequestFilter(state: request.aggregatedState)) }
            .map(\.id) == [request.id])
    }

    @Test("state and device lists need no sort")
    func listsReadOrderedIndexes() throws {
        let fixture = try StoreFixture()
        defer { fixture.finish() }

        for (column, index) in [("aggregated_state", "enrollment_requests_state_created"), ("device_id", "enrollment_requests_device_created")] {
            let plan = try ProcessRunner.check("sqlite3", [fixture.path, """
                EXPLAIN QUERY PLAN SELECT * FROM enrollment_requests WHERE \(column) = 1
                ORDER BY created_at DESC, rowid DESC LIMIT 100
                """]).output

            #expect(plan.contains("USING INDEX \(index)"))
            #expect(!plan.contains("TEMP B-TREE"))
        }
    }

    @Test("open request lookup uses index")
    func openLookupUsesIndex() throws {
        let fixture = try StoreFixture()
        defer { fixture.finish() }

        let plan = try ProcessRunner.check("sqlite3", [fixture.path, """
            EXPLAIN QUERY PLAN SELECT * FROM enrollment_requests
            WHERE fingerprint = 'a' AND protocol = 'est' AND operation = 'simpleenroll' AND ca_id = 1
                AND domain_id = 1 AND COALESCE(device_id, -1) = -1 AND template = 't' AND finalized = 0
            """]).output

        #expect(plan.contains("USING INDEX enrollment_requests_open_identity"))
    }
}
