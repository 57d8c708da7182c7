/// A failed SMTP exchange. `transient` failures (4xx replies, network errors, timeouts) are
/// worth retrying; `permanent` ones (5xx replies, TLS verification) are not (RFC 5321 §4.2.1).
struct SMTPError: Error, CustomStringConvertible, Equatable {
    enum Kind: Equatable {
        case transient, permanent
    }

    var kind: Kind
    var message: String

    var description: String { message }

    static func transient(_ message: String) -> SMTPError {
        SMTPError(kind: .transient, message: message)
    }

    static func permanent(_ message: String) -> SMTPError {
        SMTPError(kind: .permanent, message: message)
    }
}
