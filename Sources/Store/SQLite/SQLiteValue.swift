import Foundation

/// One SQL parameter or result column, in SQLite's storage classes.
public enum SQLiteValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    public init(_ value: String?) {
        self = value.map { .text($0) } ?? .null
    }

    public init(_ value: Int64?) {
        self = value.map { .integer($0) } ?? .null
    }

    public init(_ value: Int) {
        self = .integer(Int64(value))
    }

    public init(_ value: Bool) {
        self = .integer(value ? 1 : 0)
    }

    /// Stores a time as integer milliseconds since 1970-01-01T00:00:00Z, the one time format of
    /// every estgate table.
    public init(_ value: Date?) {
        self = value.map { .integer(SQLiteValue.epochMilliseconds($0)) } ?? .null
    }

    public init(_ value: [UInt8]?) {
        self = value.map { .blob($0) } ?? .null
    }

    public static func epochMilliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    public static func date(epochMilliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(epochMilliseconds) / 1000)
    }
}

extension Date {
    /// This time rounded to what the store keeps, so a record read back equals the one written.
    public var storePrecision: Date {
        SQLiteValue.date(epochMilliseconds: SQLiteValue.epochMilliseconds(self))
    }
}
