import CSQLite

/// A prepared statement, owned by the connection's statement cache.
///
/// The statement is reset and its bindings cleared after every use, so a cached statement
/// never keeps a read transaction open or keeps a CSR's bytes alive.
final class SQLiteStatement {
    private let handle: OpaquePointer
    private let columnIndexes: [String: Int]
    let sql: String

    init(database: OpaquePointer, sql: String, operation: String) throws {
        var prepared: OpaquePointer?
        let code = sqlite3_prepare_v3(database, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &prepared, nil)
        guard code == SQLITE_OK, let prepared else {
            sqlite3_finalize(prepared)
            throw SQLiteStatement.error(code: code, database: database, operation: operation)
        }
        handle = prepared
        self.sql = sql

        var indexes: [String: Int] = [:]
        for index in 0..<Int(sqlite3_column_count(prepared)) {
            indexes[String(cString: sqlite3_column_name(prepared, Int32(index)))] = index
        }
        columnIndexes = indexes
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Binds `arguments`, steps to completion and returns every row.
    func rows(_ arguments: [SQLiteValue], operation: String) throws -> [SQLiteRow] {
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        try bind(arguments, operation: operation)

        var rows: [SQLiteRow] = []
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE {
                return rows
            }
            guard code == SQLITE_ROW else {
                throw SQLiteStatement.error(code: code, database: sqlite3_db_handle(handle), operation: operation)
            }
            rows.append(SQLiteRow(columns: columnIndexes, values: currentValues()))
        }
    }

    private func bind(_ arguments: [SQLiteValue], operation: String) throws {
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard arguments.count == expected else {
            throw StoreError.sqlite(
                code: SQLITE_RANGE, operation: operation,
                message: "statement takes \(expected) parameters, \(arguments.count) given")
        }

        for (offset, argument) in arguments.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch argument {
            case .null:
                code = sqlite3_bind_null(handle, index)
            case .integer(let value):
                code = sqlite3_bind_int64(handle, index, value)
            case .real(let value):
                code = sqlite3_bind_double(handle, index, value)
            case .text(let value):
                code = sqlite3_bind_text(handle, index, value, -1, CSQLite_TRANSIENT())
            case .blob(let bytes):
                code = bytes.withUnsafeBytes { buffer in
                    // A zero-length blob still binds as a blob (not NULL) through bind_zeroblob.
                    guard let base = buffer.baseAddress else {
                        return sqlite3_bind_zeroblob(handle, index, 0)
                    }
                    return sqlite3_bind_blob(handle, index, base, Int32(buffer.count), CSQLite_TRANSIENT())
                }
            }
            guard code == SQLITE_OK else {
                throw SQLiteStatement.error(code: code, database: sqlite3_db_handle(handle), operation: operation)
            }
        }
    }

    private func currentValues() -> [SQLiteValue] {
        (0..<sqlite3_column_count(handle)).map { index in
            switch sqlite3_column_type(handle, index) {
            case SQLITE_INTEGER:
                return .integer(sqlite3_column_int64(handle, index))
            case SQLITE_FLOAT:
                return .real(sqlite3_column_double(handle, index))
            case SQLITE_TEXT:
                return .text(sqlite3_column_text(handle, index).map { String(cString: $0) } ?? "")
            case SQLITE_BLOB:
                let count = Int(sqlite3_column_bytes(handle, index))
                guard count > 0, let base = sqlite3_column_blob(handle, index) else {
                    return .blob([])
                }
                return .blob(Array(UnsafeRawBufferPointer(start: base, count: count)))
            default:
                return .null
            }
        }
    }

    /// Turns a result code into a `StoreError`, separating unique-constraint failures so callers
    /// that race on an insert can re-read instead of failing.
    static func error(code: Int32, database: OpaquePointer?, operation: String) -> StoreError {
        let message = database.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
        if code == CSQLite_CONSTRAINT_UNIQUE() || code == CSQLite_CONSTRAINT_PRIMARYKEY() {
            return .uniqueConstraint(operation: operation, message: message)
        }
        return .sqlite(code: code, operation: operation, message: message)
    }
}
