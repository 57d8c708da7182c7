/// A media type from a Content-Type header, compared case-insensitively with parameters ignored.
public struct MediaType: Equatable, Sendable {
    public static let pkcs10 = MediaType(type: "application", subtype: "pkcs10")

    public var type: String
    public var subtype: String

    public init(type: String, subtype: String) {
        self.type = type.lowercased()
        self.subtype = subtype.lowercased()
    }

    /// Parses `type/subtype; parameters`; returns nil when there is no `type/subtype` part.
    public init?(headerValue: String) {
        let essence = headerValue.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
        let parts = essence.trimmingASCIIWhitespace().split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            return nil
        }
        self.init(type: String(parts[0]), subtype: String(parts[1]).trimmingASCIIWhitespace())
    }

    public var description: String { "\(type)/\(subtype)" }
}

extension StringProtocol {
    func trimmingASCIIWhitespace() -> String {
        var scalars = Substring(self).unicodeScalars[...]
        while let first = scalars.first, first == " " || first == "\t" {
            scalars.removeFirst()
        }
        while let last = scalars.last, last == " " || last == "\t" {
            scalars.removeLast()
        }
        return String(String.UnicodeScalarView(scalars))
    }
}
