import COpenSSL
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A TLS client session over an `SMTPSocket` after STARTTLS (RFC 3207). It verifies the relay's
/// certificate chain and that the certificate names `host`, against `caFile` when given, else
/// the system trust store. It owns its `SSL` and frees it in `deinit`.
final class SMTPTLSSession {
    private let context: SMTPTLSContext
    private let ssl: OpaquePointer
    private let socket: SMTPSocket

    init(socket: SMTPSocket, host: String, caFile: String?) throws(SMTPError) {
        let context = try SMTPTLSContext(caFile: caFile)
        ERR_clear_error()
        guard let ssl = SSL_new(context.pointer) else {
            throw Self.error("SSL_new failed")
        }
        self.context = context
        self.ssl = ssl
        self.socket = socket

        guard SSL_set_fd(ssl, socket.descriptor) == 1 else {
            throw Self.error("SSL_set_fd failed")
        }
        try expectName(host)
    }

    deinit {
        SSL_free(ssl)
    }

    /// Sets the name the certificate must carry: an iPAddress for an IP literal, else a DNS name,
    /// which is also sent as SNI.
    private func expectName(_ host: String) throws(SMTPError) {
        var address = in6_addr()
        let isIPAddress = inet_pton(AF_INET, host, &address) == 1 || inet_pton(AF_INET6, host, &address) == 1
        if isIPAddress {
            guard X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host) == 1 else {
                throw Self.error("cannot set the expected IP address \(host)")
            }
            return
        }
        guard SSL_set1_host(ssl, host) == 1 else {
            throw Self.error("cannot set the expected host name \(host)")
        }
        _ = host.withCString { name in
            SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, Int(TLSEXT_NAMETYPE_host_name), UnsafeMutableRawPointer(mutating: name))
        }
    }

    /// Runs the handshake, failing permanently when the relay's certificate does not verify.
    func handshake() throws(SMTPError) {
        while true {
            ERR_clear_error()
            let result = SSL_connect(ssl)
            if result == 1 {
                return
            }
            try waitOrThrow(result, operation: "TLS handshake")
        }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(SMTPError) -> Int {
        while true {
            ERR_clear_error()
            let count = SSL_read(ssl, buffer.baseAddress, Int32(clamping: buffer.count))
            if count > 0 {
                return Int(count)
            }
            if SSL_get_error(ssl, count) == SSL_ERROR_ZERO_RETURN {
                return 0
            }
            try waitOrThrow(count, operation: "TLS read")
        }
    }

    func write(_ bytes: [UInt8]) throws(SMTPError) {
        var offset = 0
        while offset < bytes.count {
            ERR_clear_error()
            let count = bytes[offset...].withUnsafeBytes { chunk in
                SSL_write(ssl, chunk.baseAddress, Int32(clamping: chunk.count))
            }
            if count > 0 {
                offset += Int(count)
                continue
            }
            try waitOrThrow(count, operation: "TLS write")
        }
    }

    /// Sends close_notify without waiting for the relay's, since QUIT has already been sent.
    func shutdown() {
        ERR_clear_error()
        _ = SSL_shutdown(ssl)
        ERR_clear_error()
    }

    /// Waits for the socket when OpenSSL needs more I/O, and throws otherwise.
    private func waitOrThrow(_ result: Int32, operation: String) throws(SMTPError) {
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ:
            try socket.wait(for: Int16(POLLIN))
        case SSL_ERROR_WANT_WRITE:
            try socket.wait(for: Int16(POLLOUT))
        default:
            let verifyResult = SSL_get_verify_result(ssl)
            if verifyResult != Int(X509_V_OK) {
                let reason = String(cString: X509_verify_cert_error_string(verifyResult))
                ERR_clear_error()
                throw .permanent("\(operation) failed: certificate verification failed: \(reason)")
            }
            throw Self.error("\(operation) failed")
        }
    }

    /// Builds an error from `message` and every entry of the OpenSSL error queue, leaving it empty.
    static func error(_ message: String) -> SMTPError {
        var details: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 {
                break
            }
            var text = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &text, text.count)
            details.append(String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return .transient(details.isEmpty ? message : "\(message): \(details.joined(separator: "; "))")
    }
}
