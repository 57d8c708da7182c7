import COpenSSL

/// An error from the PKI module: what failed, on which value, and everything OpenSSL reported.
public struct PKIError: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Code: String, Sendable {
        case invalidBase64
        case invalidPEM
        case invalidCSR
        case invalidCertificate
        case invalidPKCS7
        case invalidPrivateKey
        case invalidPublicKey
        case invalidKeySpec
        case invalidName
        case invalidGeneralName
        case invalidOID
        case invalidPasswordHash
        case invalidProfile
        case signatureInvalid
        case keyNotAllowed
        case keyMismatch
        case keyGenerationFailed
        case signingFailed
        case certificateExpired
        case verificationFailed
        case fileAccess
        case internalError
    }

    public let code: Code
    /// One sentence saying what failed and on which value.
    public let message: String
    /// The OpenSSL error queue at the time of failure, oldest first.
    public let openSSLErrors: [String]

    /// Creates an error and drains the thread's OpenSSL error queue into it, so that the next
    /// OpenSSL call starts from an empty queue.
    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
        self.openSSLErrors = OpenSSLErrorQueue.drain()
    }

    /// Creates an error carrying OpenSSL errors already drained by an earlier error.
    init(_ code: Code, _ message: String, openSSLErrors: [String]) {
        self.code = code
        self.message = message
        self.openSSLErrors = openSSLErrors + OpenSSLErrorQueue.drain()
    }

    public var description: String {
        if openSSLErrors.isEmpty {
            return message
        }
        return "\(message) (OpenSSL: \(openSSLErrors.joined(separator: "; ")))"
    }
}

/// The calling thread's OpenSSL error queue.
enum OpenSSLErrorQueue {
    static func clear() {
        ERR_clear_error()
    }

    /// Removes every queued error and returns them as "library: reason" strings, oldest first.
    static func drain() -> [String] {
        var errors: [String] = []
        while true {
            var data: UnsafePointer<CChar>?
            var flags: Int32 = 0
            let code = ERR_get_error_all(nil, nil, nil, &data, &flags)
            if code == 0 {
                break
            }
            let library = ERR_lib_error_string(code).map { String(cString: $0) } ?? "unknown library"
            let reason = ERR_reason_error_string(code).map { String(cString: $0) } ?? "error \(code)"
            var entry = "\(library): \(reason)"
            if flags & ERR_TXT_STRING != 0, let data, data.pointee != 0 {
                entry += " (\(String(cString: data)))"
            }
            errors.append(entry)
        }
        return errors
    }
}
