/// A failure of the gateway store: the database call that failed, or a lookup that found nothing.
///
/// Messages name the table, column or key involved; they never contain SQL arguments such as
/// CSR bytes or credential hashes.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    /// SQLite returned `code` (an extended result code) while doing `operation`.
    case sqlite(code: Int32, operation: String, message: String)

    /// A UNIQUE or PRIMARY KEY constraint rejected a write.
    case uniqueConstraint(operation: String, message: String)

    /// The database file was written by a newer estgate whose schema this binary does not know.
    case schemaTooNew(path: String, databaseVersion: Int, supportedVersion: Int)

    case notFound(entity: String, key: String)

    /// A stored column contains a value the record type cannot represent.
    case invalidStoredValue(table: String, column: String, value: String)

    case connectionClosed(path: String)

    public var description: String {
        switch self {
        case .sqlite(let code, let operation, let message):
            return "SQLite error \(code) while \(operation): \(message)"
        case .uniqueConstraint(let operation, let message):
            return "unique constraint failed while \(operation): \(message)"
        case .schemaTooNew(let path, let databaseVersion, let supportedVersion):
            return "database \(path) has schema version \(databaseVersion), but this estgate supports "
                + "schema versions up to \(supportedVersion); upgrade estgate to open it"
        case .notFound(let entity, let key):
            return "\(entity) \(key) not found"
        case .invalidStoredValue(let table, let column, let value):
            return "invalid value '\(value)' in \(table).\(column)"
        case .connectionClosed(let path):
            return "database connection to \(path) is closed"
        }
    }
}
