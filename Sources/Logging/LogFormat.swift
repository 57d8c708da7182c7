import Foundation

/// The line format of the log output: logfmt for people and grep, JSON lines for collectors.
public enum LogFormat: String, Sendable, CaseIterable {
    case logfmt
    case json

    /// Renders one record as a single line without the trailing newline.
    public func render(_ record: LogRecord) -> String {
        let time = LogFormat.timestamp(record.time)
        switch self {
        case .logfmt:
            var fields = [
                "time=\(time)",
                "level=\(record.level.name)",
                "msg=\(LogFormat.logfmtValue(record.message))",
                "logger=\(LogFormat.logfmtValue(record.label))",
            ]
            for (key, value) in record.redactedMetadata {
                fields.append("\(LogFormat.logfmtKey(key))=\(LogFormat.logfmtValue(value))")
            }
            return fields.joined(separator: " ")
        case .json:
            var fields = [
                "\"time\":\(LogFormat.jsonString(time))",
                "\"level\":\(LogFormat.jsonString(record.level.name))",
                "\"msg\":\(LogFormat.jsonString(record.message))",
                "\"logger\":\(LogFormat.jsonString(record.label))",
            ]
            for (key, value) in record.redactedMetadata {
                fields.append("\(LogFormat.jsonString(key)):\(LogFormat.jsonString(value))")
            }
            return "{" + fields.joined(separator: ",") + "}"
        }
    }

    /// Formats `date` as ISO 8601 UTC with milliseconds, for example `2026-12-04T19:52:00.123Z`.
    public static func timestamp(_ date: Date) -> String {
        let interval = date.timeIntervalSince1970
        var seconds = time_t(interval.rounded(.down))
        let milliseconds = Int((interval - Double(seconds)) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
            Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
            Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), milliseconds)
    }

    static func logfmtKey(_ key: String) -> String {
        String(key.map { $0 == " " || $0 == "=" || $0 == "\"" ? "_" : $0 })
    }

    /// Quotes a logfmt value when it is empty or contains a space, `=`, a quote or a control character.
    static func logfmtValue(_ value: String) -> String {
        let needsQuotes =
            value.isEmpty
            || value.unicodeScalars.contains { $0 == " " || $0 == "=" || $0 == "\"" || $0.value < 0x20 || $0.value == 0x7F }
        guard needsQuotes else {
            return value
        }
        return "\"" + escaped(value) + "\""
    }

    static func jsonString(_ value: String) -> String {
        "\"" + escaped(value) + "\""
    }

    /// Escapes quotes, backslashes and control characters the way both JSON and logfmt readers accept.
    private static func escaped(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count + 2)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
