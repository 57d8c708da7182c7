/// Errors of assembling and starting the gateway: configuration, data directory and startup.
public enum GatewayError: Error, CustomStringConvertible, Equatable {
    case configuration(String)
    case dataDirectory(String)
    case startup(String)

    public var description: String {
        switch self {
        case .configuration(let message), .dataDirectory(let message), .startup(let message):
            message
        }
    }
}
