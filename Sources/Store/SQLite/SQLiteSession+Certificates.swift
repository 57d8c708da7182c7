import Foundation

extension SQLiteSession {
    func insertIssuedCertificate(_ certificate: IssuedCertificateRecord) throws -> IssuedCertificateRecord {
        var stored = certificate
        stored.notBefore = stored.notBefore.storePrecision
        stored.notAfter = stored.notAfter.storePrecision
        stored.createdAt = stored.createdAt.storePrecision
        stored.id = try insert(
            """
            INSERT INTO issued_certificates (serial_number, subject, not_before, not_after, der, request_id, device_id,
                created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [.text(certificate.serialNumber), .text(certificate.subject), SQLiteValue(certificate.notBefore),
             SQLiteValue(certificate.notAfter), .blob(certificate.der), SQLiteValue(certificate.requestID),
             SQLiteValue(certificate.deviceID), SQLiteValue(certificate.createdAt)],
            operation: "storing certificate \(certificate.serialNumber)")
        return stored
    }

    func issuedCertificate(id: Int64) throws -> IssuedCertificateRecord? {
        try rows(
            "SELECT * FROM issued_certificates WHERE id = ?", [.integer(id)], operation: "reading certificate \(id)"
        ).first.map(IssuedCertificateRecord.init(row:))
    }

    func issuedCertificate(requestID: String) throws -> IssuedCertificateRecord? {
        try rows(
            "SELECT * FROM issued_certificates WHERE request_id = ?", [.text(requestID)],
            operation: "reading the certificate of request \(requestID)"
        ).first.map(IssuedCertificateRecord.init(row:))
    }

    func issuedCertificate(serialNumber: String) throws -> IssuedCertificateRecord? {
        try rows(
            "SELECT * FROM issued_certificates WHERE serial_number = ?", [.text(serialNumber)],
            operation: "reading the certificate with serial \(serialNumber)"
        ).first.map(IssuedCertificateRecord.init(row:))
    }

    func issuedCertificates(serialPrefix prefix: String, limit: Int) throws -> [IssuedCertificateRecord] {
        try rows(in: "issued_certificates", where: "serial_number", startsWith: prefix, limit: limit)
            .map(IssuedCertificateRecord.init(row:))
    }

    func countIssuedCertificates(serialPrefix prefix: String) throws -> Int {
        try count(in: "issued_certificates", where: "serial_number", startsWith: prefix)
    }

    func hasIssuedCertificate(deviceID: Int64) throws -> Bool {
        try !rows(
            "SELECT 1 FROM issued_certificates WHERE device_id = ? LIMIT 1", [.integer(deviceID)],
            operation: "checking for certificates issued to device \(deviceID)"
        ).isEmpty
    }

    func listIssuedCertificates(_ filter: IssuedCertificateFilter) throws -> [IssuedCertificateRecord] {
        var conditions: [String] = []
        var arguments: [SQLiteValue] = []
        if let deviceID = filter.deviceID {
            conditions.append("device_id = ?")
            arguments.append(.integer(deviceID))
        }
        if let expiringBefore = filter.expiringBefore {
            conditions.append("not_after < ?")
            arguments.append(SQLiteValue(expiringBefore))
        }
        if let validAt = filter.validAt {
            conditions.append("not_after >= ?")
            arguments.append(SQLiteValue(validAt))
        }

        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let limit = SQLiteValue.limitClause(filter.limit, arguments: &arguments)
        return try rows(
            "SELECT * FROM issued_certificates\(whereClause) ORDER BY not_after, id\(limit)", arguments,
            operation: "listing issued certificates"
        ).map(IssuedCertificateRecord.init(row:))
    }
}

extension IssuedCertificateRecord {
    init(row: SQLiteRow) throws {
        let row = row.reading("issued_certificates")
        self.init(
            id: try row.int64("id"), serialNumber: try row.string("serial_number"), subject: try row.string("subject"),
            notBefore: try row.date("not_before"), notAfter: try row.date("not_after"), der: try row.blob("der"),
            requestID: try row.optionalString("request_id"), deviceID: try row.optionalInt64("device_id"),
            createdAt: try row.date("created_at"))
    }
}
