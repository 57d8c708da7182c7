import Foundation

extension SQLiteSession {
    func insertDevice(_ device: DeviceRecord) throws -> DeviceRecord {
        var stored = device
        stored.createdAt = stored.createdAt.storePrecision
        stored.updatedAt = stored.updatedAt.storePrecision
        stored.id = try insert(
            """
            INSERT INTO devices (name, serial_number, domain_id, credential_hash, status, attributes, created_at,
                updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            deviceArguments(device) + [SQLiteValue(device.createdAt), SQLiteValue(device.updatedAt)],
            operation: "inserting device \(device.name)")
        return stored
    }

    func updateDevice(_ device: DeviceRecord) throws {
        try updateOne(
            """
            UPDATE devices SET name = ?, serial_number = ?, domain_id = ?, credential_hash = ?, status = ?,
                attributes = ?, updated_at = ?
            WHERE id = ?
            """,
            deviceArguments(device) + [SQLiteValue(device.updatedAt), .integer(device.id)],
            entity: "device", key: String(device.id))
    }

    func device(id: Int64) throws -> DeviceRecord? {
        try rows("SELECT * FROM devices WHERE id = ?", [.integer(id)], operation: "reading device \(id)")
            .first.map(DeviceRecord.init(row:))
    }

    func device(named name: String, domainID: Int64) throws -> DeviceRecord? {
        try rows(
            "SELECT * FROM devices WHERE domain_id = ? AND name = ?", [.integer(domainID), .text(name)],
            operation: "reading device \(name) in domain \(domainID)"
        ).first.map(DeviceRecord.init(row:))
    }

    func devices(serialNumber: String) throws -> [DeviceRecord] {
        try rows(
            "SELECT * FROM devices WHERE serial_number = ? ORDER BY id", [.text(serialNumber)],
            operation: "reading devices with serial number \(serialNumber)"
        ).map(DeviceRecord.init(row:))
    }

    func listDevices(domainID: Int64?) throws -> [DeviceRecord] {
        guard let domainID else {
            return try rows("SELECT * FROM devices ORDER BY domain_id, name", operation: "listing devices")
                .map(DeviceRecord.init(row:))
        }
        return try rows(
            "SELECT * FROM devices WHERE domain_id = ? ORDER BY name", [.integer(domainID)],
            operation: "listing devices of domain \(domainID)"
        ).map(DeviceRecord.init(row:))
    }

    private func deviceArguments(_ device: DeviceRecord) -> [SQLiteValue] {
        [
            .text(device.name), SQLiteValue(device.serialNumber), .integer(device.domainID),
            SQLiteValue(device.credentialHash), .text(device.status.rawValue),
            .text(StoreJSON.encode(device.attributes)),
        ]
    }
}

extension DeviceRecord {
    init(row: SQLiteRow) throws {
        let row = row.reading("devices")
        let statusText = try row.string("status")
        guard let status = DeviceStatus(rawValue: statusText) else {
            throw StoreError.invalidStoredValue(table: "devices", column: "status", value: statusText)
        }
        self.init(
            id: try row.int64("id"), name: try row.string("name"), serialNumber: try row.optionalString("serial_number"),
            domainID: try row.int64("domain_id"), credentialHash: try row.optionalString("credential_hash"),
            status: status, attributes: try row.json("attributes", as: [String: String].self),
            createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
    }
}
