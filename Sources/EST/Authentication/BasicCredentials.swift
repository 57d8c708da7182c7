import PKI

/// Username and password from an `Authorization: Basic` header (RFC 7617).
public struct BasicCredentials: Sendable {
    public var username: String
    public var password: String

    /// Parses the header value; returns nil for another scheme and throws for a malformed Basic value.
    public static func parse(authorizationHeader value: String) throws(ESTError) -> BasicCredentials? {
        let parts = value.trimmingASCIIWhitespace().split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic" else {
            return nil
        }

        guard let decoded = try? Base64.decode(String(parts[1])),
            let text = String(validating: decoded, as: UTF8.self),
            let colon = text.firstIndex(of: ":")
        else {
            throw .badRequest("Authorization header is not valid Basic credentials; expected base64 of username:password")
        }
        return BasicCredentials(username: String(text[..<colon]), password: String(text[text.index(after: colon)...]))
    }
}
