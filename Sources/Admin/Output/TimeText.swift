import Foundation

/// Times as commands print and accept them: ISO 8601 in UTC, to the second.
enum TimeText {
    static func iso8601(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC") ?? .gmt))
    }

    /// Parses `--since`: an ISO 8601 time with `Z` or an offset (`2024-05-01T12:00:00Z`), a UTC
    /// date (`2024-05-01`), or a duration before `now` (`90s`, `30m`, `12h`, `7d`). Returns nil
    /// for anything else, including a time without a zone, which could mean local time or UTC.
    static func parseSince(_ text: String, now: Date) -> Date? {
        if let time = parseTime(text) {
            return time
        }
        // The date style also accepts a date followed by any text, which would drop a time of day.
        if isDate(text), let day = try? Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day().parse(text) {
            return day
        }
        guard let unit = text.last, let count = Int(text.dropLast()), count >= 0 else {
            return nil
        }
        let seconds: Int
        switch unit {
        case "s": seconds = 1
        case "m": seconds = 60
        case "h": seconds = 3600
        case "d": seconds = 86400
        default: return nil
        }
        return now.addingTimeInterval(-Double(count) * Double(seconds))
    }

    static let sinceExpectation = "an ISO 8601 time with Z or an offset such as 2024-05-01T12:00:00Z, "
        + "a date such as 2024-05-01, or a duration such as 30m, 12h or 7d"

    /// Parses an ISO 8601 time whose fields are all in range. The format style alone rolls
    /// `T25:00:00Z` over into the next day, so the time is printed again in the offset it was
    /// given in and must read the same up to the seconds.
    private static func parseTime(_ text: String) -> Date? {
        guard text.count > 19, let time = try? Date.ISO8601FormatStyle().parse(text) else {
            return nil
        }

        // What follows the seconds: an optional fraction, then Z or an offset such as +02:00 or +0200.
        let zoneText = text.dropFirst(19).drop { $0 == "." || $0.isNumber }
        let zone: TimeZone?
        if zoneText == "Z" {
            zone = .gmt
        } else {
            let digits = zoneText.dropFirst().filter { $0 != ":" }
            guard let sign = zoneText.first, sign == "+" || sign == "-", digits.count == 4,
                let hours = Int(digits.prefix(2)), let minutes = Int(digits.suffix(2))
            else {
                return nil
            }
            zone = TimeZone(secondsFromGMT: (sign == "-" ? -1 : 1) * (hours * 3600 + minutes * 60))
        }
        guard let zone else {
            return nil
        }
        return Date.ISO8601FormatStyle(timeZone: zone).format(time).prefix(19) == text.prefix(19) ? time : nil
    }

    /// Returns whether `text` is exactly a calendar date, four digits, two and two (`2024-05-01`).
    private static func isDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        return parts.map(\.count) == [4, 2, 2] && parts.allSatisfy { $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }
}
