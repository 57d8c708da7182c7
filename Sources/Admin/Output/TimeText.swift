import Foundation

/// Times as commands print and accept them: ISO 8601 in UTC, to the second.
enum TimeText {
    static func iso8601(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC") ?? .gmt))
    }

    /// Parses `--since`: an ISO 8601 time (`2024-05-01T12:00:00Z`), a UTC date (`2024-05-01`),
    /// or a duration before `now` (`90s`, `30m`, `12h`, `7d`). Returns nil for anything else.
    static func parseSince(_ text: String, now: Date) -> Date? {
        if let time = try? Date.ISO8601FormatStyle().parse(text) {
            return time
        }
        if let day = try? Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day().parse(text) {
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

    static let sinceExpectation = "an ISO 8601 time such as 2024-05-01T12:00:00Z, a date such as 2024-05-01, "
        + "or a duration such as 30m, 12h or 7d"
}
