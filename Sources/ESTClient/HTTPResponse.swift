import Foundation

/// A parsed HTTP/1.1 response.
public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    public var reason: String
    /// Header fields in received order, names as sent.
    public var headers: [HTTPHeaderField]
    public var body: [UInt8]

    /// Returns the first value of the field `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The media type without parameters, lowercased (`application/pkcs7-mime`).
    public var mediaType: String? {
        guard let value = header("Content-Type") else {
            return nil
        }
        let type = value.split(separator: ";", maxSplits: 1).first ?? ""
        return type.trimmingCharacters(in: .whitespaces).lowercased()
    }

    public var bodyText: String {
        String(decoding: body, as: UTF8.self)
    }

    /// Whether the server will keep the connection open after this response.
    var allowsReuse: Bool {
        header("Connection")?.lowercased().contains("close") != true
    }
}

public struct HTTPHeaderField: Sendable, Equatable {
    public var name: String
    public var value: String
}
