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
        // RFC 3339 section 5.6 allows a lowercase t and z.
        if let time = parseTime(text.uppercased()) {
            return time
        }
        if let day = parseDate(text) {
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

    static let sinceExpectation = "an ISO 8601 time with Z or an offset (+02:00, +0200 or +02) such as "
        + "2024-05-01T12:00:00Z, a date such as 2024-05-01, or a duration such as 30m, 12h or 7d"

    /// Returns the help of a `--since` option. `what` names the rows it filters, such as "requests created".
    static func sinceHelp(_ what: String) -> String {
        "Only \(what) at or after TIME: an ISO 8601 time with a zone, a UTC date, or a duration such as 30m, 12h or 7d ago"
    }

    /// Parses an ISO 8601 time whose fields are all in range. The format style alone rolls
    /// `T25:00:00Z` over into the next day, so the time is printed again in the offset it was
    /// given in and must read the same up to the seconds.
    private static func parseTime(_ text: String) -> Date? {
        guard text.count > 19, let time = try? Date.ISO8601FormatStyle().parse(text) else {
            return nil
        }

        // What follows the seconds: an optional fraction, then Z or an offset: +02:00, +0200 or +02.
        let zoneText = text.dropFirst(19).drop { $0 == "." || $0.isNumber }
        let zone: TimeZone?
        if zoneText == "Z" {
            zone = .gmt
        } else {
            let digits = zoneText.dropFirst().filter { $0 != ":" }
            guard let sign = zoneText.first, sign == "+" || sign == "-", digits.count == 2 || digits.count == 4,
                digits.allSatisfy({ $0.isASCII && $0.isNumber }), let hours = Int(digits.prefix(2)),
                let minutes = Int(digits.dropFirst(2).isEmpty ? "0" : digits.suffix(2)), hours <= 18, minutes < 60
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

    /// Parses a UTC calendar date such as 2024-05-01. The format style also accepts a date
    /// followed by any text and rolls 2023-02-29 over, so the date must print back unchanged.
    private static func parseDate(_ text: String) -> Date? {
        let style = Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day()
        guard let day = try? style.parse(text), style.format(day) == text else {
            return nil
        }
        return day
    }
}
