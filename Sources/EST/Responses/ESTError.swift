/// A failure that maps to one EST HTTP response: a status and a one-sentence text/plain reason.
///
/// Everything the EST layer rejects is thrown as this type. `ESTResponses.error` is the one place
/// that turns it into a response, so statuses and bodies stay consistent across operations.
public struct ESTError: Error, Equatable, Sendable, CustomStringConvertible {
    public var status: Int
    public var message: String
    /// Adds `WWW-Authenticate: Basic realm="estgate"` to a 401.
    public var offersBasicAuthentication: Bool = false
    /// The `Allow` header of a 405.
    public var allowedMethod: String?

    public init(status: Int, message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { "\(status): \(message)" }

    public static func badRequest(_ message: String) -> ESTError {
        ESTError(status: 400, message: message)
    }

    public static func unauthorized(_ message: String, offersBasicAuthentication: Bool) -> ESTError {
        var error = ESTError(status: offersBasicAuthentication ? 401 : 403, message: message)
        error.offersBasicAuthentication = offersBasicAuthentication
        return error
    }

    public static func forbidden(_ message: String) -> ESTError {
        ESTError(status: 403, message: message)
    }

    public static func notFound(_ message: String) -> ESTError {
        ESTError(status: 404, message: message)
    }

    public static func methodNotAllowed(_ method: String, allowed: String) -> ESTError {
        var error = ESTError(status: 405, message: "method \(method) is not allowed here; use \(allowed)")
        error.allowedMethod = allowed
        return error
    }

    public static func conflict(_ message: String) -> ESTError {
        ESTError(status: 409, message: message)
    }

    public static func unsupportedMediaType(_ message: String) -> ESTError {
        ESTError(status: 415, message: message)
    }

    public static func notImplemented(_ message: String) -> ESTError {
        ESTError(status: 501, message: message)
    }

    /// Builds a server fault whose body names only the request id, because details belong in the
    /// log and the audit trail.
    public static func internalError(requestID: String) -> ESTError {
        ESTError(status: 500, message: "internal error while handling request \(requestID); the gateway log has the details")
    }
}
