import Foundation

/// `StoreSession` over one borrowed connection, valid only inside the `read` or `transaction`
/// call that created it.
struct SQLiteSession: StoreSession {
    let connection: SQLiteConnection

    func rows(_ sql: String, _ arguments: [SQLiteValue] = [], operation: String) throws -> [SQLiteRow] {
        try connection.query(sql, arguments, operation: operation)
    }

    /// Runs an UPDATE and throws `notFound` when it matched no row.
    func updateOne(_ sql: String, _ arguments: [SQLiteValue], entity: String, key: String) throws {
        let changed = try connection.run(sql, arguments, operation: "updating \(entity) \(key)")
        guard changed > 0 else {
            throw StoreError.notFound(entity: entity, key: key)
        }
    }

    func insert(_ sql: String, _ arguments: [SQLiteValue], operation: String) throws -> Int64 {
        try connection.run(sql, arguments, operation: operation)
        return connection.lastInsertRowID
    }
}

/// JSON text for the store's JSON columns, with sorted keys so equal values store equal text.
enum StoreJSON {
    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Arrays of strings and string dictionaries always encode.
        guard let data = try? encoder.encode(value) else {
            return "null"
        }
        return String(decoding: data, as: UTF8.self)
    }
}

extension SQLiteValue {
    /// Appends a `LIMIT ?` argument when `limit` is set.
    static func limitClause(_ limit: Int?, arguments: inout [SQLiteValue]) -> String {
        guard let limit else {
            return ""
        }
        arguments.append(.integer(Int64(max(0, limit))))
        return " LIMIT ?"
    }
}
