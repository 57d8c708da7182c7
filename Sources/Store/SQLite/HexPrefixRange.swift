/// The index range of the text values that start with a prefix, for columns that hold only
/// lowercase hex digits and hyphens (request ids, certificate serial numbers).
///
/// "~" sorts after each of those characters, so `value >= lower AND value < upper` contains
/// exactly the values that start with the prefix, and SQLite reads the range from the column's
/// index instead of scanning the table.
struct HexPrefixRange {
    let lower: String
    let upper: String

    /// Nil when `prefix` is empty or has a character no stored value contains, so that no value
    /// can match. Uppercase hex digits are lowered first.
    init?(_ prefix: String) {
        let lowered = prefix.lowercased()
        guard !lowered.isEmpty, lowered.allSatisfy({ $0.isASCII && ($0.isHexDigit || $0 == "-") }) else {
            return nil
        }
        lower = lowered
        upper = lowered + "~"
    }

    var arguments: [SQLiteValue] { [.text(lower), .text(upper)] }
}

extension SQLiteSession {
    /// Reads the rows of `table` whose `column` starts with `prefix`, in `column` order, at most
    /// `limit`. `table` and `column` are names fixed in the code, never input.
    func rows(in table: String, where column: String, startsWith prefix: String, limit: Int) throws -> [SQLiteRow] {
        guard let range = HexPrefixRange(prefix) else {
            return []
        }
        return try rows(
            "SELECT * FROM \(table) WHERE \(column) >= ? AND \(column) < ? ORDER BY \(column) LIMIT ?",
            range.arguments + [.integer(Int64(limit))], operation: "reading \(table) whose \(column) starts with \(prefix)")
    }

    /// Counts the rows of `table` whose `column` starts with `prefix`.
    func count(in table: String, where column: String, startsWith prefix: String) throws -> Int {
        guard let range = HexPrefixRange(prefix) else {
            return 0
        }
        let count = try rows(
            "SELECT COUNT(*) AS count FROM \(table) WHERE \(column) >= ? AND \(column) < ?", range.arguments,
            operation: "counting \(table) whose \(column) starts with \(prefix)")
        return try count.first?.int("count") ?? 0
    }
}
