/// A failure to configure, start or run the server; peer mistakes are `HTTPParseError` instead.
public struct HTTPServerError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        public let name: String

        public static let invalidListenAddress = Code(name: "invalidListenAddress")
        public static let invalidConfiguration = Code(name: "invalidConfiguration")
        public static let certificateChain = Code(name: "certificateChain")
        public static let privateKey = Code(name: "privateKey")
        public static let trustAnchors = Code(name: "trustAnchors")
        public static let tlsContext = Code(name: "tlsContext")
        public static let systemCall = Code(name: "systemCall")
        public static let alreadyStarted = Code(name: "alreadyStarted")

        public var description: String { name }
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
