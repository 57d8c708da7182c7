import Foundation

extension SQLiteSession {
    func appendAuditEvent(_ event: AuditEventRecord) throws -> AuditEventRecord {
        var stored = event
        stored.time = stored.time.storePrecision
        stored.id = try insert(
            """
            INSERT INTO audit_events (time, event, request_id, device_id, domain_id, actor, comment, previous_state,
                new_state, details)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [SQLiteValue(event.time), .text(event.event), SQLiteValue(event.requestID), SQLiteValue(event.deviceID),
             SQLiteValue(event.domainID), SQLiteValue(event.actor), SQLiteValue(event.comment),
             SQLiteValue(event.previousState), SQLiteValue(event.newState), .text(event.details)],
            operation: "recording audit event \(event.event)")
        return stored
    }

    func auditEvents(_ filter: AuditEventFilter) throws -> [AuditEventRecord] {
        var (whereClause, arguments) = Self.auditConditions(filter)
        let limit = SQLiteValue.limitClause(filter.limit, arguments: &arguments)
        return try rows(
            "SELECT * FROM audit_events\(whereClause) ORDER BY id\(limit)", arguments, operation: "reading audit events"
        ).map(AuditEventRecord.init(row:))
    }

    // NOTE: with a `since` that few events match, SQLite scans the trail backwards from the
    // newest event, because it cannot know that the time range is small. That took 0.11 to 0.3 s
    // at two million events.
    func oldestAuditEventID(amongNewest count: Int, matching filter: AuditEventFilter) throws -> Int64? {
        let (whereClause, arguments) = Self.auditConditions(filter)
        let newest = try rows(
            "SELECT MIN(id) AS id FROM (SELECT id FROM audit_events\(whereClause) ORDER BY id DESC LIMIT ?)",
            arguments + [.integer(Int64(count))], operation: "finding the newest \(count) audit events")
        return try newest.first?.optionalInt64("id")
    }

    func newestAuditEventID() throws -> Int64? {
        try rows("SELECT MAX(id) AS id FROM audit_events", [], operation: "reading the newest audit event id")
            .first?.optionalInt64("id")
    }

    /// Builds the WHERE clause of `filter`, without its limit.
    private static func auditConditions(_ filter: AuditEventFilter) -> (whereClause: String, arguments: [SQLiteValue]) {
        var conditions: [String] = []
        var arguments: [SQLiteValue] = []
        if let requestID = filter.requestID {
            conditions.append("request_id = ?")
            arguments.append(.text(requestID))
        }
        if let deviceID = filter.deviceID {
            conditions.append("device_id = ?")
            arguments.append(.integer(deviceID))
        }
        if let since = filter.since {
            conditions.append("time >= ?")
            arguments.append(SQLiteValue(since))
        }
        if let afterID = filter.afterID {
            conditions.append("id > ?")
            arguments.append(.integer(afterID))
        }

        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return (whereClause, arguments)
    }
}

extension AuditEventRecord {
    init(row: SQLiteRow) throws {
        let row = row.reading("audit_events")
        self.init(
            id: try row.int64("id"), time: try row.date("time"), event: try row.string("event"),
            requestID: try row.optionalString("request_id"), deviceID: try row.optionalInt64("device_id"),
            domainID: try row.optionalInt64("domain_id"), actor: try row.optionalString("actor"),
            comment: try row.optionalString("comment"), previousState: try row.optionalString("previous_state"),
            newState: try row.optionalString("new_state"), details: try row.string("details"))
    }
}
