/// A response from the server that this client cannot use: malformed HTTP, an unexpected status
/// or media type, or a body that does not decode.
public struct ESTClientError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        case malformedResponse
        case responseTooLarge
        case unexpectedStatus
        case unexpectedContentType
        case invalidBody
        case invalidConfiguration
    }

    public var code: Code
    /// A sentence stating the expected and the received value, with the request path.
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
