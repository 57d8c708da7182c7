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
