import Foundation

/// Builds the RFC 5322 text of a notification mail and fills the `{{...}}` placeholders of its
/// subject and body.
///
/// Placeholders: `{{requestID}}`, `{{instanceID}}`, `{{stepID}}`, `{{payload.<path>}}` and
/// `{{vars.<path>}}`. A placeholder whose value is absent becomes the empty string.
struct EmailMessage {
    var from: String
    var to: [String]
    var subject: String
    var body: String

    /// Maximum subject length in characters, applied after placeholders are filled.
    static let maximumSubjectLength = 250
    /// The maximum line length in bytes, without its CRLF, that RFC 5322 section 2.1.1 allows.
    static let maximumLineBytes = 998

    static let placeholderRoots = ["requestID", "instanceID", "stepID"]
    static let placeholderPrefixes = ["payload.", "vars."]

    /// Returns the names inside `{{ }}` in `template`, in order.
    static func placeholders(in template: String) -> [String] {
        var names: [String] = []
        var rest = template[...]
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            names.append(rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces))
            rest = rest[close.upperBound...]
        }
        return names
    }

    static func isKnownPlaceholder(_ name: String) -> Bool {
        placeholderRoots.contains(name) || placeholderPrefixes.contains { name.hasPrefix($0) && name.count > $0.count }
    }

    /// Replaces each placeholder in `template` with its value from `context`.
    static func render(_ template: String, stepID: String, context: StepExecutionContext) -> String {
        var output = ""
        var rest = template[...]
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            output += rest[..<open.lowerBound]
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            output += value(of: name, stepID: stepID, context: context)
            rest = rest[close.upperBound...]
        }
        return output + rest
    }

    private static func value(of name: String, stepID: String, context: StepExecutionContext) -> String {
        let found: JSONValue?
        switch name {
        case "requestID": return context.requestID
        case "instanceID": return context.instanceID
        case "stepID": return stepID
        case _ where name.hasPrefix("payload."): found = context.payload.value(atPath: String(name.dropFirst("payload.".count)))
        case _ where name.hasPrefix("vars."): found = context.variables.value(atPath: String(name.dropFirst("vars.".count)))
        default: found = nil
        }

        switch found {
        case .string(let string): return string
        case .number(let number): return number.rounded() == number && abs(number) < 1e15 ? String(Int(number)) : String(number)
        case .bool(let bool): return String(bool)
        case .array(let elements): return elements.compactMap(\.stringValue).joined(separator: ", ")
        case .object, .null, nil: return ""
        }
    }

    /// Returns the message with CRLF line ends: headers, a blank line, then the body.
    ///
    /// Header values come from validated params with no CR or LF. The subject may contain
    /// placeholder values from the request, so its control characters become spaces, and a
    /// non-ASCII subject is sent as an RFC 2047 encoded word. A body with a line over
    /// `maximumLineBytes` is sent quoted-printable, and any other body as it is (8bit).
    func rendered(date: Date, messageID: String) -> String {
        let cleanSubject = String(
            subject.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : Character($0) }.prefix(Self.maximumSubjectLength))
        let lines = body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false)
        // The body is encoded only when a line, usually filled from a placeholder, is too long for a relay.
        let needsEncoding = lines.contains { $0.utf8.count > Self.maximumLineBytes }

        let headers = [
            "From: <\(from)>",
            "To: " + to.map { "<\($0)>" }.joined(separator: ", "),
            "Subject: \(Self.encodedHeaderValue(cleanSubject))",
            "Date: \(Self.rfc5322Date(date))",
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: " + (needsEncoding ? "quoted-printable" : "8bit"),
            "Auto-Submitted: auto-generated",
        ]
        let encodedBody = needsEncoding ? QuotedPrintable.encode(lines: lines) : lines.joined(separator: "\r\n")
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + encodedBody + "\r\n"
    }

    /// Encodes a non-ASCII value as RFC 2047 encoded words of at most 45 UTF-8 bytes each, so
    /// no word exceeds the 75-character limit, folded onto continuation lines.
    private static func encodedHeaderValue(_ value: String) -> String {
        guard value.unicodeScalars.contains(where: { !$0.isASCII }) else {
            return value
        }

        var words: [String] = []
        var chunk = ""
        for character in value {
            if chunk.utf8.count + character.utf8.count > 45 {
                words.append(chunk)
                chunk = ""
            }
            chunk.append(character)
        }
        words.append(chunk)
        return words.map { "=?UTF-8?B?\(Data($0.utf8).base64EncodedString())?=" }.joined(separator: "\r\n ")
    }

    private static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
