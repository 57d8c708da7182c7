/// The path and query of a request target in origin-form, absolute-form or asterisk-form
/// (RFC 9112 section 3.2).
struct RequestTarget: Equatable {
    var path: String
    var query: String?

    init(parsing target: String, method: String) throws(HTTPParseError) {
        var rest = Substring(target)
        if target == "*" {
            guard method == "OPTIONS" else {
                throw .invalidTarget
            }
            path = "*"
            query = nil
            return
        }

        let lowercased = target.lowercased()
        if lowercased.hasPrefix("https://") || lowercased.hasPrefix("http://") {
            let afterScheme = rest.dropFirst(lowercased.hasPrefix("https://") ? 8 : 7)
            guard let pathStart = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }) else {
                path = "/"
                query = nil
                return
            }
            rest = afterScheme[pathStart...]
            if rest.hasPrefix("?") {
                rest = "/" + rest
            }
        }
        guard rest.hasPrefix("/") else {
            throw .invalidTarget
        }

        let pathPart: Substring
        if let questionMark = rest.firstIndex(of: "?") {
            pathPart = rest[rest.startIndex..<questionMark]
            query = String(rest[rest.index(after: questionMark)...])
        } else {
            pathPart = rest
            query = nil
        }
        path = try RequestTarget.percentDecode(pathPart)
    }

    /// Decodes `%XX` escapes; a truncated escape, a non-hex digit or a result that is not UTF-8 is invalid.
    static func percentDecode(_ text: Substring) throws(HTTPParseError) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)

        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(HTTPRequestParser.hexValue),
                let low = iterator.next().flatMap(HTTPRequestParser.hexValue)
            else {
                throw .invalidPercentEncoding
            }
            bytes.append(high << 4 | low)
        }

        guard let decoded = String(validating: bytes, as: UTF8.self) else {
            throw .invalidPercentEncoding
        }
        return decoded
    }
}
