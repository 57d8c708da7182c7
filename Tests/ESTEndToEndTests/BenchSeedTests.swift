import Foundation
import Testing
import TestSupport

/// Runs `estgate-bench seed` against the database of a real gateway's data directory.
@Suite("estgate-bench seed", .serialized)
struct BenchSeedTests {
    private var benchPath: String {
        URL(fileURLWithPath: GatewayProcess.executablePath).deletingLastPathComponent()
            .appendingPathComponent("estgate-bench").path
    }

    private func query(_ sql: String, database: String) throws -> String {
        try ProcessRunner.run("sqlite3", [database, sql]).output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("seed writes pending requests")
    func seedWritesPendingRequests() throws {
        let gateway = try EndToEndGateway()
        gateway.process.stop()
        let database = gateway.dataDirectory + "/estgate.sqlite"

        let result = try ProcessRunner.run(
            benchPath, ["seed", "--data-dir", gateway.dataDirectory, "--pending", "250", "--batch", "100"], timeout: 120)
        #expect(result.exitCode == 0, "\(result.errorOutput)")
        #expect(result.output.hasPrefix("Added 250 pending requests to domain default in "))

        let states = "SELECT COUNT(*) FROM enrollment_requests WHERE aggregated_state = 'AwaitingApproval' AND finalized = 0"
        #expect(try query(states, database: database) == "250")
        let instances = "SELECT COUNT(*) FROM workflow_instances WHERE state = 'AwaitingApproval' AND enrollment_request_id IS NOT NULL"
        #expect(try query(instances, database: database) == "250")
        let fingerprints = "SELECT COUNT(DISTINCT fingerprint) FROM enrollment_requests"
        #expect(try query(fingerprints, database: database) == "250")
        let audit = "SELECT COUNT(*) FROM audit_events WHERE event IN ('request.created', 'request.state_changed')"
        #expect(try query(audit, database: database) == "500")
    }

    @Test("seeded request can be approved")
    func seededRequestApproved() throws {
        let gateway = try EndToEndGateway()
        gateway.process.stop()
        let seeded = try ProcessRunner.run(benchPath, ["seed", "--data-dir", gateway.dataDirectory, "--pending", "3"])
        #expect(seeded.exitCode == 0, "\(seeded.errorOutput)")
        let id = try query("SELECT id FROM enrollment_requests LIMIT 1", database: gateway.dataDirectory + "/estgate.sqlite")

        let approved = try gateway.estgate(["requests", "approve", id, "--by", "alice"])
        #expect(approved.exitCode == 0, "\(approved.errorOutput)")
        #expect(approved.output == "Approved request \(id) as alice; its state is now Approved.\n")
    }

    @Test("open-request lookup uses index")
    func openRequestLookupUsesIndex() throws {
        let gateway = try EndToEndGateway()
        gateway.process.stop()
        let seeded = try ProcessRunner.run(benchPath, ["seed", "--data-dir", gateway.dataDirectory, "--pending", "500"])
        #expect(seeded.exitCode == 0, "\(seeded.errorOutput)")

        let plan = try ProcessRunner.run("sqlite3", [
            gateway.dataDirectory + "/estgate.sqlite",
            """
            EXPLAIN QUERY PLAN SELECT * FROM enrollment_requests
            WHERE fingerprint = 'x' AND protocol = 'est' AND operation = 'simpleenroll' AND ca_id = 1 AND domain_id = 1
                AND COALESCE(device_id, -1) = 1 AND template = 'device' AND finalized = 0
            """,
        ]).output
        #expect(plan.contains("SEARCH enrollment_requests USING INDEX enrollment_requests_open_identity"), "\(plan)")
    }

    @Test("unknown domain rejected")
    func unknownDomainRejected() throws {
        let gateway = try EndToEndGateway()
        gateway.process.stop()

        let result = try ProcessRunner.run(
            benchPath, ["seed", "--data-dir", gateway.dataDirectory, "--pending", "1", "--domain", "nowhere"])
        #expect(result.exitCode == 1)
        #expect(result.errorOutput == "estgate-bench seed: domain nowhere not found\n")
    }

    @Test("missing database rejected")
    func missingDatabaseRejected() throws {
        let directory = try TemporaryDirectory(prefix: "estgate-seed")
        defer { directory.remove() }

        let result = try ProcessRunner.run(benchPath, ["seed", "--data-dir", directory.path, "--pending", "1"])
        #expect(result.exitCode == 1)
        #expect(result.errorOutput == """
            estgate-bench seed: \(directory.path)/estgate.sqlite does not exist; run estgate serve --data-dir once to create it

            """)
    }

    @Test("missing pending option rejected")
    func missingPendingRejected() throws {
        let result = try ProcessRunner.run(benchPath, ["seed", "--data-dir", "/nonexistent"])
        #expect(result.exitCode == 2)
        #expect(result.errorOutput.hasPrefix(
            "estgate-bench seed: missing --pending N, the number of pending requests to add\n"))
    }
}
