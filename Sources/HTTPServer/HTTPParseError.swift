/// A request the server rejects, with the status and the one-sentence reason sent to the peer.
public enum HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    case requestLineTooLong(limit: Int)
    case headersTooLarge(limit: Int)
    case bodyTooLarge(limit: Int)
    case lengthRequired
    case invalidRequestLine
    case invalidTarget
    case invalidPercentEncoding
    case invalidHeaderField
    case obsoleteLineFolding
    case invalidHost
    case invalidContentLength
    case conflictingFraming
    case invalidChunk
    case unsupportedTransferEncoding
    case unsupportedMethod
    case unsupportedVersion

    public var status: Int {
        switch self {
        case .requestLineTooLong: 414
        case .headersTooLarge: 431
        case .bodyTooLarge: 413
        case .lengthRequired: 411
        case .unsupportedTransferEncoding, .unsupportedMethod: 501
        case .unsupportedVersion: 505
        case .invalidRequestLine, .invalidTarget, .invalidPercentEncoding, .invalidHeaderField,
            .obsoleteLineFolding, .invalidHost, .invalidContentLength, .conflictingFraming, .invalidChunk:
            400
        }
    }

    public var reason: String {
        switch self {
        case .requestLineTooLong(let limit): "The request line is longer than \(limit) bytes."
        case .headersTooLarge(let limit): "The header section is larger than \(limit) bytes."
        case .bodyTooLarge(let limit): "The request body is larger than \(limit) bytes."
        case .lengthRequired: "The request has a body method but neither Content-Length nor chunked Transfer-Encoding."
        case .invalidRequestLine: "The request line is not method, target and HTTP version separated by single spaces."
        case .invalidTarget: "The request target is not an origin-form or absolute-form URI."
        case .invalidPercentEncoding: "The request path contains an invalid percent-encoding."
        case .invalidHeaderField: "A header field is not a token name, a colon and a printable value."
        case .obsoleteLineFolding: "A header field is folded over several lines, which HTTP/1.1 no longer allows."
        case .invalidHost: "The request must carry exactly one Host header field."
        case .invalidContentLength: "The Content-Length header field is not one decimal number."
        case .conflictingFraming: "The request carries both Content-Length and Transfer-Encoding."
        case .invalidChunk: "The chunked request body is malformed."
        case .unsupportedTransferEncoding: "The only supported Transfer-Encoding is chunked."
        case .unsupportedMethod: "The request method is not implemented by this server."
        case .unsupportedVersion: "Only HTTP/1.0 and HTTP/1.1 are supported."
        }
    }

    public var description: String { "\(status): \(reason)" }
}
