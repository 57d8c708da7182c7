import Foundation

extension SQLiteSession {
    func insertEnrollmentRequest(_ request: EnrollmentRequestRecord) throws {
        try connection.run(
            """
            INSERT INTO enrollment_requests (id, protocol, operation, ca_id, domain_id, device_id, fingerprint, template,
                aggregated_state, finalized, reason, certificate_id, csr_der, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [.text(request.id), .text(request.protocolName), .text(request.operation), .integer(request.caID),
             .integer(request.domainID), SQLiteValue(request.deviceID), .text(request.fingerprint),
             .text(request.template), .text(request.aggregatedState), SQLiteValue(request.finalized),
             SQLiteValue(request.reason), SQLiteValue(request.certificateID), .blob(request.csrDER),
             SQLiteValue(request.createdAt), SQLiteValue(request.updatedAt)],
            operation: "inserting enrollment request \(request.id)")
    }

    func openEnrollmentRequest(key: EnrollmentRequestKey) throws -> EnrollmentRequestRecord? {
        // The WHERE clause repeats the partial unique index's expressions so SQLite uses it.
        try rows(
            """
            SELECT * FROM enrollment_requests
            WHERE fingerprint = ? AND protocol = ? AND operation = ? AND ca_id = ? AND domain_id = ?
                AND COALESCE(device_id, -1) = ? AND template = ? AND finalized = 0
            """,
            keyArguments(key, deviceSentinel: true), operation: "reading the open enrollment request"
        ).first.map(EnrollmentRequestRecord.init(row:))
    }

    func latestEnrollmentRequest(key: EnrollmentRequestKey) throws -> EnrollmentRequestRecord? {
        try rows(
            """
            SELECT * FROM enrollment_requests
            WHERE fingerprint = ? AND protocol = ? AND operation = ? AND ca_id = ? AND domain_id = ?
                AND device_id IS ? AND template = ?
            ORDER BY created_at DESC, rowid DESC LIMIT 1
            """,
            keyArguments(key, deviceSentinel: false), operation: "reading the latest enrollment request"
        ).first.map(EnrollmentRequestRecord.init(row:))
    }

    func enrollmentRequest(id: String) throws -> EnrollmentRequestRecord? {
        try rows(
            "SELECT * FROM enrollment_requests WHERE id = ?", [.text(id.lowercased())],
            operation: "reading enrollment request \(id)"
        ).first.map(EnrollmentRequestRecord.init(row:))
    }

    func enrollmentRequests(idPrefix prefix: String, limit: Int) throws -> [EnrollmentRequestRecord] {
        try rows(in: "enrollment_requests", where: "id", startsWith: prefix, limit: limit).map(EnrollmentRequestRecord.init(row:))
    }

    func countEnrollmentRequests(idPrefix prefix: String) throws -> Int {
        try count(in: "enrollment_requests", where: "id", startsWith: prefix)
    }

    func listEnrollmentRequests(_ filter: EnrollmentRequestFilter) throws -> [EnrollmentRequestRecord] {
        var conditions: [String] = []
        var arguments: [SQLiteValue] = []
        if let state = filter.state {
            conditions.append("aggregated_state = ?")
            arguments.append(.text(state))
        }
        if let domainID = filter.domainID {
            conditions.append("domain_id = ?")
            arguments.append(.integer(domainID))
        }
        if let deviceID = filter.deviceID {
            conditions.append("device_id = ?")
            arguments.append(.integer(deviceID))
        }
        if let finalized = filter.finalized {
            conditions.append("finalized = ?")
            arguments.append(SQLiteValue(finalized))
        }
        if let since = filter.since {
            conditions.append("created_at >= ?")
            arguments.append(SQLiteValue(since))
        }

        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let limit = SQLiteValue.limitClause(filter.limit, arguments: &arguments)
        return try rows(
            "SELECT * FROM enrollment_requests\(whereClause) ORDER BY created_at DESC, rowid DESC\(limit)", arguments,
            operation: "listing enrollment requests"
        ).map(EnrollmentRequestRecord.init(row:))
    }

    func updateEnrollmentRequest(_ request: EnrollmentRequestRecord) throws {
        try updateOne(
            """
            UPDATE enrollment_requests SET aggregated_state = ?, finalized = ?, reason = ?, certificate_id = ?,
                updated_at = ?
            WHERE id = ?
            """,
            [.text(request.aggregatedState), SQLiteValue(request.finalized), SQLiteValue(request.reason),
             SQLiteValue(request.certificateID), SQLiteValue(request.updatedAt), .text(request.id)],
            entity: "enrollment request", key: request.id)
    }

    func insertDeviceRequest(_ request: DeviceRequestRecord) throws {
        try connection.run(
            """
            INSERT INTO device_requests (id, device_id, domain_id, ca_id, action, payload, aggregated_state, finalized,
                created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [.text(request.id), .integer(request.deviceID), SQLiteValue(request.domainID), SQLiteValue(request.caID),
             .text(request.action.rawValue), .text(request.payload), .text(request.aggregatedState),
             SQLiteValue(request.finalized), SQLiteValue(request.createdAt), SQLiteValue(request.updatedAt)],
            operation: "inserting device request \(request.id)")
    }

    func deviceRequest(id: String) throws -> DeviceRequestRecord? {
        try rows(
            "SELECT * FROM device_requests WHERE id = ?", [.text(id.lowercased())],
            operation: "reading device request \(id)"
        ).first.map(DeviceRequestRecord.init(row:))
    }

    func deviceRequests(idPrefix prefix: String, limit: Int) throws -> [DeviceRequestRecord] {
        try rows(in: "device_requests", where: "id", startsWith: prefix, limit: limit).map(DeviceRequestRecord.init(row:))
    }

    func countDeviceRequests(idPrefix prefix: String) throws -> Int {
        try count(in: "device_requests", where: "id", startsWith: prefix)
    }

    func listDeviceRequests(deviceID: Int64?) throws -> [DeviceRequestRecord] {
        guard let deviceID else {
            return try rows(
                "SELECT * FROM device_requests ORDER BY created_at DESC, rowid DESC", operation: "listing device requests"
            ).map(DeviceRequestRecord.init(row:))
        }
        return try rows(
            "SELECT * FROM device_requests WHERE device_id = ? ORDER BY created_at DESC, rowid DESC",
            [.integer(deviceID)], operation: "listing device requests of device \(deviceID)"
        ).map(DeviceRequestRecord.init(row:))
    }

    func updateDeviceRequest(_ request: DeviceRequestRecord) throws {
        try updateOne(
            "UPDATE device_requests SET aggregated_state = ?, finalized = ?, updated_at = ? WHERE id = ?",
            [.text(request.aggregatedState), SQLiteValue(request.finalized), SQLiteValue(request.updatedAt),
             .text(request.id)],
            entity: "device request", key: request.id)
    }

    /// `deviceSentinel` binds a missing device as -1, to match `COALESCE(device_id, -1)`.
    private func keyArguments(_ key: EnrollmentRequestKey, deviceSentinel: Bool) -> [SQLiteValue] {
        let device = deviceSentinel ? SQLiteValue.integer(key.deviceID ?? -1) : SQLiteValue(key.deviceID)
        return [
            .text(key.fingerprint), .text(key.protocolName), .text(key.operation), .integer(key.caID),
            .integer(key.domainID), device, .text(key.template),
        ]
    }
}

extension EnrollmentRequestRecord {
    init(row: SQLiteRow) throws {
        let row = row.reading("enrollment_requests")
        self.init(
            id: try row.string("id"), protocolName: try row.string("protocol"), operation: try row.string("operation"),
            caID: try row.int64("ca_id"), domainID: try row.int64("domain_id"),
            deviceID: try row.optionalInt64("device_id"), fingerprint: try row.string("fingerprint"),
            template: try row.string("template"), aggregatedState: try row.string("aggregated_state"),
            finalized: try row.bool("finalized"), reason: try row.optionalString("reason"),
            certificateID: try row.optionalInt64("certificate_id"), csrDER: try row.blob("csr_der"),
            createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
    }

    public var key: EnrollmentRequestKey {
        EnrollmentRequestKey(
            protocolName: protocolName, operation: operation, caID: caID, domainID: domainID, deviceID: deviceID,
            fingerprint: fingerprint, template: template)
    }
}

extension DeviceRequestRecord {
    init(row: SQLiteRow) throws {
        let row = row.reading("device_requests")
        let actionText = try row.string("action")
        guard let action = DeviceAction(rawValue: actionText) else {
            throw StoreError.invalidStoredValue(table: "device_requests", column: "action", value: actionText)
        }
        self.init(
            id: try row.string("id"), deviceID: try row.int64("device_id"), domainID: try row.optionalInt64("domain_id"),
            caID: try row.optionalInt64("ca_id"), action: action, payload: try row.string("payload"),
            aggregatedState: try row.string("aggregated_state"), finalized: try row.bool("finalized"),
            createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
    }
}
