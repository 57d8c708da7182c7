import Foundation

/// One result row, read by column name.
///
/// Accessors throw `StoreError.invalidStoredValue` when the stored value has another storage
/// class than the record expects, so a hand-edited database fails loudly instead of reading as 0.
public struct SQLiteRow: Sendable {
    /// The table named in errors; record decoders set it with `reading(_:)`.
    public private(set) var table = "query result"
    let columns: [String: Int]
    let values: [SQLiteValue]

    init(columns: [String: Int], values: [SQLiteValue]) {
        self.columns = columns
        self.values = values
    }

    /// Returns this row with errors naming `table`.
    public func reading(_ table: String) -> SQLiteRow {
        var copy = self
        copy.table = table
        return copy
    }

    public subscript(column: String) -> SQLiteValue {
        guard let index = columns[column] else {
            return .null
        }
        return values[index]
    }

    public func int64(_ column: String) throws -> Int64 {
        guard case .integer(let value) = self[column] else {
            throw invalid(column)
        }
        return value
    }

    public func optionalInt64(_ column: String) throws -> Int64? {
        if case .null = self[column] {
            return nil
        }
        return try int64(column)
    }

    public func int(_ column: String) throws -> Int {
        Int(try int64(column))
    }

    public func bool(_ column: String) throws -> Bool {
        try int64(column) != 0
    }

    public func string(_ column: String) throws -> String {
        guard case .text(let value) = self[column] else {
            throw invalid(column)
        }
        return value
    }

    public func optionalString(_ column: String) throws -> String? {
        if case .null = self[column] {
            return nil
        }
        return try string(column)
    }

    public func blob(_ column: String) throws -> [UInt8] {
        switch self[column] {
        case .blob(let bytes):
            return bytes
        case .text(let text):
            return Array(text.utf8)
        default:
            throw invalid(column)
        }
    }

    public func date(_ column: String) throws -> Date {
        SQLiteValue.date(epochMilliseconds: try int64(column))
    }

    public func optionalDate(_ column: String) throws -> Date? {
        try optionalInt64(column).map { SQLiteValue.date(epochMilliseconds: $0) }
    }

    /// Decodes a JSON text column into `T`.
    public func json<T: Decodable>(_ column: String, as type: T.Type) throws -> T {
        try decodeJSON(column) { try JSONDecoder().decode(T.self, from: Data($0.utf8)) }
    }

    /// Decodes a JSON list of strings, such as a domain's profiles, once per distinct text.
    public func json(_ column: String, as type: [String].Type) throws -> [String] {
        try decodeJSON(column) { try Self.stringLists.value(for: $0) }
    }

    /// Decodes a JSON object of strings, such as a device's attributes, once per distinct text.
    public func json(_ column: String, as type: [String: String].Type) throws -> [String: String] {
        try decodeJSON(column) { try Self.stringMaps.value(for: $0) }
    }

    // Every domain and device lookup decodes these columns, and most rows share a few texts.
    private static let stringLists = DecodedJSONCache<[String]>()
    private static let stringMaps = DecodedJSONCache<[String: String]>()

    private func decodeJSON<T>(_ column: String, _ decode: (String) throws -> T) throws -> T {
        let text = try string(column)
        do {
            return try decode(text)
        } catch {
            throw StoreError.invalidStoredValue(table: table, column: column, value: String(text.prefix(80)))
        }
    }

    private func invalid(_ column: String) -> StoreError {
        let shown: String
        switch self[column] {
        case .null: shown = "NULL"
        case .integer(let value): shown = String(value)
        case .real(let value): shown = String(value)
        case .text(let value): shown = String(value.prefix(80))
        case .blob(let bytes): shown = "<\(bytes.count)-byte blob>"
        }
        return StoreError.invalidStoredValue(table: table, column: column, value: shown)
    }
}
