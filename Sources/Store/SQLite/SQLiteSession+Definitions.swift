import Foundation

extension SQLiteSession {
    func importDefinition(name: String, definition: String, at time: Date) throws -> WorkflowDefinitionRecord {
        let latest = try rows(
            "SELECT MAX(version) AS version FROM workflow_definitions WHERE name = ?", [.text(name)],
            operation: "reading the latest version of workflow \(name)")
        let version = (try latest.first?.optionalInt64("version") ?? 0) + 1

        let record = WorkflowDefinitionRecord(
            name: name, version: Int(version), published: false, definition: definition, createdAt: time,
            updatedAt: time)
        var stored = record
        stored.createdAt = stored.createdAt.storePrecision
        stored.updatedAt = stored.updatedAt.storePrecision
        stored.id = try insert(
            """
            INSERT INTO workflow_definitions (name, version, published, definition, created_at, updated_at)
            VALUES (?, ?, 0, ?, ?, ?)
            """,
            [.text(name), .integer(version), .text(definition), SQLiteValue(time), SQLiteValue(time)],
            operation: "importing workflow \(name) version \(version)")
        return stored
    }

    func definition(id: Int64) throws -> WorkflowDefinitionRecord? {
        try rows("SELECT * FROM workflow_definitions WHERE id = ?", [.integer(id)], operation: "reading workflow \(id)")
            .first.map(WorkflowDefinitionRecord.init(row:))
    }

    func listDefinitions() throws -> [WorkflowDefinitionRecord] {
        try rows(
            "SELECT * FROM workflow_definitions ORDER BY created_at DESC, id DESC", operation: "listing workflows"
        ).map(WorkflowDefinitionRecord.init(row:))
    }

    func publishedDefinitions() throws -> [WorkflowDefinitionRecord] {
        try rows(
            "SELECT * FROM workflow_definitions WHERE published = 1 ORDER BY id",
            operation: "listing published workflows"
        ).map(WorkflowDefinitionRecord.init(row:))
    }

    func setPublished(definitionID: Int64, _ published: Bool, at time: Date) throws {
        try updateOne(
            "UPDATE workflow_definitions SET published = ?, updated_at = ? WHERE id = ?",
            [SQLiteValue(published), SQLiteValue(time), .integer(definitionID)],
            entity: "workflow", key: String(definitionID))
    }

    func addScope(_ scope: WorkflowScopeRecord) throws -> WorkflowScopeRecord {
        var stored = scope
        stored.id = try insert(
            "INSERT INTO workflow_scopes (definition_id, ca_id, domain_id, device_id) VALUES (?, ?, ?, ?)",
            [.integer(scope.definitionID), SQLiteValue(scope.caID), SQLiteValue(scope.domainID),
             SQLiteValue(scope.deviceID)],
            operation: "adding a scope to workflow \(scope.definitionID)")
        return stored
    }

    func removeScope(id: Int64) throws {
        let removed = try connection.run(
            "DELETE FROM workflow_scopes WHERE id = ?", [.integer(id)], operation: "removing scope \(id)")
        guard removed > 0 else {
            throw StoreError.notFound(entity: "workflow scope", key: String(id))
        }
    }

    func scopes(definitionID: Int64) throws -> [WorkflowScopeRecord] {
        try rows(
            "SELECT * FROM workflow_scopes WHERE definition_id = ? ORDER BY id", [.integer(definitionID)],
            operation: "listing scopes of workflow \(definitionID)"
        ).map(WorkflowScopeRecord.init(row:))
    }
}

extension WorkflowDefinitionRecord {
    init(row: SQLiteRow) throws {
        let row = row.reading("workflow_definitions")
        self.init(
            id: try row.int64("id"), name: try row.string("name"), version: try row.int("version"),
            published: try row.bool("published"), definition: try row.string("definition"),
            createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
    }
}

extension WorkflowScopeRecord {
    init(row: SQLiteRow) throws {
        let row = row.reading("workflow_scopes")
        self.init(
            id: try row.int64("id"), definitionID: try row.int64("definition_id"), caID: try row.optionalInt64("ca_id"),
            domainID: try row.optionalInt64("domain_id"), deviceID: try row.optionalInt64("device_id"))
    }
}
