import Foundation

extension JSONValue {
    /// Compact JSON text with sorted keys. Every new request and state change stores one as audit
    /// details, and `perf` put JSONEncoder at about 4% of an enrollment, so the common values are
    /// written here and only the rest goes through JSONEncoder, which gives the same text.
    var jsonText: String {
        var text = ""
        guard appendText(to: &text) else {
            return encoderText
        }
        return text
    }

    /// The text JSONEncoder writes with sorted keys and unescaped slashes.
    var encoderText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // JSONEncoder fails only for a non-finite number. JSON text cannot contain one, and the
        // engine builds its numbers from integers and parsed JSON.
        guard let data = try? encoder.encode(self) else {
            return "null"
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// The largest integer that a Double represents exactly. Larger numbers and fractions are left to
    /// JSONEncoder, whose number formatting this does not repeat.
    private static let largestExactInteger = 9_007_199_254_740_992.0

    /// Appends this value's text; returns false, leaving `text` partly written, at a number
    /// that is not an exact integer.
    private func appendText(to text: inout String) -> Bool {
        switch self {
        case .null:
            text += "null"
        case .bool(let value):
            text += value ? "true" : "false"
        case .number(let value):
            // JSONEncoder writes negative zero as "-0", which Int64 would turn into "0".
            guard value.rounded() == value, abs(value) <= Self.largestExactInteger, !(value == 0 && value.sign == .minus) else {
                return false
            }
            text += String(Int64(value))
        case .string(let value):
            text += Self.quoted(value)
        case .array(let elements):
            text += "["
            for (index, element) in elements.enumerated() {
                if index > 0 {
                    text += ","
                }
                guard element.appendText(to: &text) else {
                    return false
                }
            }
            text += "]"
        case .object(let members):
            text += "{"
            // JSONEncoder orders keys by their UTF-8 bytes, where String's < compares canonical forms.
            let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (index, key) in keys.enumerated() {
                if index > 0 {
                    text += ","
                }
                text += Self.quoted(key)
                text += ":"
                guard members[key, default: .null].appendText(to: &text) else {
                    return false
                }
            }
            text += "}"
        }
        return true
    }

    /// Returns `text` as a JSON string (RFC 8259 section 7), escaping what JSONEncoder escapes:
    /// quote, backslash and control characters.
    public static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{8}": result += "\\b"
            case "\u{C}": result += "\\f"
            case "\u{0}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
