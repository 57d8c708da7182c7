import Admin
import ArgumentParsing
import Foundation
import Store
import Testing

@Suite("workflows commands")
struct WorkflowCommandTests {
    static let approvalJSON = """
        {"events": [{"protocol": "est", "operation": "simpleenroll"}],
         "steps": [{"id": "approve", "type": "Approval", "params": {}}]}
        """

    /// The repository's fixtures directory, found from this file's path.
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fixtures/workflows").path

    @Test("import stores unpublished version")
    func importNew() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }
        let path = try fixture.writeFile("factory-approval.json", Self.approvalJSON)

        let result = try fixture.run(["workflows", "import", path])

        #expect(result.output == "Imported workflow factory-approval version 1 (id 1), unpublished.\n")
        let stored = try #require(try fixture.store.read { try $0.listDefinitions() }.first)
        #expect(stored.name == "factory-approval")
        #expect(stored.definition == Self.approvalJSON)
        #expect(!stored.published)
    }

    @Test("new version copies scopes and publishes")
    func importVersion() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }
        let path = try fixture.writeFile("flow.json", Self.approvalJSON)
        _ = try fixture.run(["workflows", "import", path, "--name", "gate", "--publish"])
        _ = try fixture.run(["workflows", "scope", "add", "gate", "--domain", "factory"])

        let result = try fixture.run(["workflows", "import", path, "--name", "gate", "--publish"])

        #expect(result.output == "Imported workflow gate version 2 (id 2), published, with 1 scope row copied from version 1.\n")
        let definitions = try fixture.store.read { try $0.listDefinitions() }
        #expect(definitions.map(\.version) == [2, 1])
        #expect(definitions.map(\.published) == [true, false])
        let scopes = try fixture.store.read { try $0.scopes(definitionID: 2) }
        #expect(scopes.map(\.domainID) == [fixture.factory.id])
    }

    @Test("invalid import stores nothing")
    func importInvalid() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }
        let path = Self.fixtures + "/invalid-params.json"

        let result = try fixture.run(["workflows", "import", path])

        #expect(result.status == 1)
        #expect(result.errorOutput.contains("\(path): step \"policy\": "))
        #expect(try fixture.store.read { try $0.listDefinitions() }.isEmpty)
    }

    @Test("validate names step and field")
    func validateInvalid() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }
        let path = try fixture.writeFile("bad.json", """
            {"events": [{"protocol": "est", "operation": "fullcmc"}],
             "steps": [{"id": "approve", "type": "Approval", "params": {}, "transitions": {"approve": "nowhere"}}]}
            """)

        let result = try fixture.run(["workflows", "validate", path])

        #expect(result.status == 1)
        #expect(result.output == "")
        #expect(result.errorOutput == """
            \(path): events[0]: unknown event "est/fullcmc"
            \(path): step "approve": transitions.approve: unknown step "nowhere"

            """)
    }

    @Test("validate accepts good file")
    func validateValid() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }
        let path = try fixture.writeFile("good.json", Self.approvalJSON)

        let result = try fixture.run(["workflows", "validate", path])

        #expect(result.status == 0)
        #expect(result.output == "\(path) is valid: 1 step, events est/simpleenroll.\n")
    }

    @Test("validate missing file names path")
    func validateMissingFile() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }
        let path = fixture.directory.file("absent.json")

        #expect {
            try fixture.run(["workflows", "validate", path])
        } throws: { error in
            guard case AdminError.unreadableFile(let reported, _) = error else {
                return false
            }
            return reported == path
        }
    }

    @Test("show states scope in words")
    func showScope() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }
        try fixture.publishApprovalWorkflow(name: "gate")

        let everywhere = try fixture.run(["workflows", "show", "gate"]).output
        _ = try fixture.run(["workflows", "scope", "add", "gate", "--domain", "factory"])
        let scoped = try fixture.run(["workflows", "show", "gate"]).output

        #expect(everywhere.contains("Scope        applies everywhere (no scope rows)\n"))
        #expect(scoped.contains("Scope        applies to domain factory, any CA, any device\n"))
        #expect(scoped.contains("Published    yes\n"))
        #expect(scoped.contains("  approve  Approval  default\n"))
    }

    @Test("scope add remove round trip")
    func scopeRoundTrip() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }
        try fixture.publishApprovalWorkflow(name: "gate")
        _ = try fixture.addDevice("sensor-1", domain: fixture.factory)

        let added = try fixture.run(["workflows", "scope", "add", "gate", "--ca", "issuing", "--device", "sensor-1"])
        let removed = try fixture.run(["workflows", "scope", "remove", "gate", "--ca", "issuing", "--device", "sensor-1"])

        #expect(added.output == "Added the scope of workflow gate version 1; it now applies to CA issuing, device sensor-1, any domain.\n")
        #expect(removed.output == "Removed the scope of workflow gate version 1; it now applies everywhere (no scope rows).\n")
    }

    @Test("scope errors name the scope")
    func scopeErrors() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }
        try fixture.publishApprovalWorkflow(name: "gate")
        _ = try fixture.run(["workflows", "scope", "add", "gate", "--domain", "open"])

        #expect(throws: AdminError.alreadyExists(entity: "scope of workflow gate", key: "domain open, any CA, any device")) {
            try fixture.run(["workflows", "scope", "add", "gate", "--domain", "open"])
        }
        #expect(throws: AdminError.scopeNotFound(definition: "gate", scope: "domain factory, any CA, any device")) {
            try fixture.run(["workflows", "scope", "remove", "gate", "--domain", "factory"])
        }
        #expect(throws: AdminError.notFound(entity: "CA", key: "other")) {
            try fixture.run(["workflows", "scope", "add", "gate", "--ca", "other"])
        }
        #expect(fixture.usageError(["workflows", "scope", "add", "gate"])?.message
            == "give at least one of --ca, --domain and --device")
    }

    @Test("publish unpublish by name and id")
    func publishing() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }
        let path = try fixture.writeFile("flow.json", Self.approvalJSON)
        _ = try fixture.run(["workflows", "import", path, "--name", "gate"])
        _ = try fixture.run(["workflows", "import", path, "--name", "gate"])

        let first = try fixture.run(["workflows", "publish", "1"])
        let second = try fixture.run(["workflows", "publish", "gate"])
        let stopped = try fixture.run(["workflows", "unpublish", "gate"])

        #expect(first.output == "Published workflow gate version 1 (id 1).\n")
        #expect(second.output == "Published workflow gate version 2 (id 2).\n")
        #expect(stopped.output == "Unpublished workflow gate version 2 (id 2).\n")
        #expect(try fixture.store.read { try $0.publishedDefinitions() }.isEmpty)
        #expect(throws: AdminError.notFound(entity: "workflow", key: "missing")) {
            try fixture.run(["workflows", "publish", "missing"])
        }
    }

    @Test("list json and export")
    func listAndExport() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }
        try fixture.publishApprovalWorkflow(name: "gate", domain: fixture.factory)

        let rows = try #require(try fixture.json(["workflows", "list", "--json"]) as? [[String: Any]])
        let exported = try fixture.run(["workflows", "export", "gate"]).output

        #expect(rows.count == 1)
        #expect(rows.first?["name"] as? String == "gate")
        #expect(rows.first?["version"] as? Int == 1)
        #expect(rows.first?["published"] as? Bool == true)
        #expect(rows.first?["events"] as? [String] == ["est/simpleenroll"])
        #expect(rows.first?["applies_to"] as? String == "applies to domain factory, any CA, any device")
        #expect(rows.first?["created_at"] as? String == "2024-05-01T12:00:00Z")
        let stored = try #require(try fixture.store.read { try $0.definition(id: 1) })
        #expect(exported == stored.definition + "\n")
        let show = try #require(try fixture.json(["workflows", "show", "gate", "--json"]) as? [String: Any])
        let definition = try #require(show["definition"] as? [String: Any])
        #expect((definition["steps"] as? [[String: Any]])?.first?["type"] as? String == "Approval")
    }
}
