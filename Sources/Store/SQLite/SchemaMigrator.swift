/// Brings a database's schema forward to `latestVersion`, tracked in `PRAGMA user_version`.
///
/// Migrations only ever append: version N's SQL runs once, on a database at version N - 1,
/// inside the same transaction that records version N.
enum SchemaMigrator {
    static var latestVersion: Int { migrations.count }

    static func migrate(_ connection: SQLiteConnection) throws {
        let found = try version(of: connection)
        guard found <= latestVersion else {
            throw StoreError.schemaTooNew(path: connection.path, databaseVersion: found, supportedVersion: latestVersion)
        }
        guard found < latestVersion else {
            return
        }

        try connection.transaction {
            // Another process may have migrated between the check above and taking the write lock.
            let current = try version(of: connection)
            guard current < latestVersion else {
                return
            }
            for (offset, sql) in migrations.enumerated().dropFirst(current) {
                let target = offset + 1
                try connection.execute(sql, operation: "migrating \(connection.path) to schema version \(target)")
                // PRAGMA takes no parameters; `target` is an integer computed here, not input.
                try connection.execute("PRAGMA user_version = \(target)", operation: "recording schema version \(target)")
            }
        }
    }

    static func version(of connection: SQLiteConnection) throws -> Int {
        let rows = try connection.query("PRAGMA user_version", operation: "reading the schema version")
        return try rows.first?.int("user_version") ?? 0
    }

    /// Schema versions in order: index 0 creates version 1.
    static let migrations: [String] = [SchemaVersion1.sql, SchemaVersion2.sql, SchemaVersion3.sql]
}
