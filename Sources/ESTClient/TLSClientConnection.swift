import COpenSSL
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One blocking TLS connection to a server: owns the `SSL` object and the socket.
///
/// Call `close()` when done. Writing to a connection the server has already closed raises SIGPIPE,
/// so programs using this class should ignore that signal.
public final class TLSClientConnection {
    public let host: String
    public let port: Int
    private let context: TLSClientContext
    private let ssl: OpaquePointer
    private var descriptor: Int32

    /// Connects to `host:port` and completes the handshake.
    ///
    /// - Parameters:
    ///   - serverName: name sent in SNI and checked against the server certificate; defaults to
    ///     `host`. An IP address is checked against the certificate's IP SANs and not sent in SNI.
    ///   - session: a session from an earlier connection to offer for resumption.
    /// - Throws: `TLSClientError` with `.verificationFailed` when the server certificate does not
    ///   verify, naming OpenSSL's reason.
    public init(
        context: TLSClientContext, host: String, port: Int, serverName: String? = nil, session: TLSSession? = nil
    ) throws(TLSClientError) {
        let configuration = context.configuration
        let descriptor = try TCPConnector.connect(
            host: host, port: port, timeout: configuration.connectTimeout, ioTimeout: configuration.ioTimeout)

        OpenSSLErrorQueue.clear()
        guard let ssl = SSL_new(context.context) else {
            Glibc.close(descriptor)
            throw OpenSSLErrorQueue.error(.configuration, "SSL_new failed")
        }
        self.host = host
        self.port = port
        self.context = context
        self.ssl = ssl
        self.descriptor = descriptor

        do throws(TLSClientError) {
            try prepare(serverName: serverName ?? host, session: session)
            try handshake()
        } catch {
            closeDescriptor()
            throw error
        }
    }

    deinit {
        // A connection dropped without close() still releases its socket, but that is a caller bug.
        assert(descriptor < 0, "TLSClientConnection to \(host):\(port) was released without close()")
        closeDescriptor()
        SSL_free(ssl)
    }

    private var endpoint: String { "\(host):\(port)" }

    private func prepare(serverName: String, session: TLSSession?) throws(TLSClientError) {
        OpenSSLErrorQueue.clear()
        guard SSL_set_fd(ssl, descriptor) == 1 else {
            throw OpenSSLErrorQueue.error(.configuration, "SSL_set_fd failed")
        }

        let name = serverName.hasPrefix("[") && serverName.hasSuffix("]")
            ? String(serverName.dropFirst().dropLast()) : serverName
        let isAddress = Self.isIPAddress(name)
        if !isAddress {
            // SSL_set_tlsext_host_name is a macro over SSL_ctrl; RFC 6066 forbids IP literals in SNI.
            let status = name.withCString {
                SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, Int(TLSEXT_NAMETYPE_host_name), UnsafeMutableRawPointer(mutating: $0))
            }
            guard status == 1 else {
                throw OpenSSLErrorQueue.error(.configuration, "cannot set SNI to \(name)")
            }
        }

        if case .caFile = context.configuration.serverVerification {
            let status = isAddress
                ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), name)
                : SSL_set1_host(ssl, name)
            guard status == 1 else {
                throw OpenSSLErrorQueue.error(.configuration, "cannot set the expected server name to \(name)")
            }
        }

        if let session {
            guard SSL_set_session(ssl, session.session) == 1 else {
                throw OpenSSLErrorQueue.error(.configuration, "cannot offer the previous TLS session")
            }
        }
    }

    private func handshake() throws(TLSClientError) {
        OpenSSLErrorQueue.clear()
        errno = 0
        let status = SSL_connect(ssl)
        guard status != 1 else {
            return
        }

        let verifyResult = SSL_get_verify_result(ssl)
        if verifyResult != X509_V_OK {
            let reason = String(cString: X509_verify_cert_error_string(verifyResult))
            _ = OpenSSLErrorQueue.drain()
            throw TLSClientError(.verificationFailed, "server certificate of \(endpoint) failed verification: \(reason)")
        }
        throw failure(status, during: "TLS handshake with \(endpoint)", handshake: true)
    }

    /// The negotiated protocol, as OpenSSL names it (`TLSv1.2`, `TLSv1.3`).
    public var protocolVersion: String {
        String(cString: SSL_get_version(ssl))
    }

    /// Whether the server accepted the offered session, so the handshake was abbreviated.
    public var isSessionReused: Bool {
        SSL_session_reused(ssl) == 1
    }

    /// The tls-unique channel binding (RFC 5929 §3): the first Finished message of the latest
    /// handshake. Nil on TLS 1.3, where it is not defined.
    public var tlsUnique: [UInt8]? {
        guard SSL_version(ssl) < TLS1_3_VERSION else {
            return nil
        }
        // The client sends the first Finished in a full handshake, the server in a resumed one.
        var buffer = [UInt8](repeating: 0, count: 64)
        let length = isSessionReused
            ? SSL_get_peer_finished(ssl, &buffer, buffer.count)
            : SSL_get_finished(ssl, &buffer, buffer.count)
        return Array(buffer.prefix(length))
    }

    /// Exports the tls-exporter channel binding (RFC 9266): 32 bytes exported with the label
    /// `EXPORTER-Channel-Binding` and an empty context.
    public func tlsExporter() throws(TLSClientError) -> [UInt8] {
        let label = "EXPORTER-Channel-Binding"
        var output = [UInt8](repeating: 0, count: 32)
        OpenSSLErrorQueue.clear()
        let status = SSL_export_keying_material(ssl, &output, output.count, label, label.utf8.count, nil, 0, 1)
        guard status == 1 else {
            throw OpenSSLErrorQueue.error(.ioFailed, "exporting the tls-exporter value failed")
        }
        return output
    }

    /// Returns the binding an EST client puts in challengePassword: tls-unique on TLS 1.2, tls-exporter
    /// on TLS 1.3.
    public func channelBinding() throws(TLSClientError) -> [UInt8] {
        if let tlsUnique {
            return tlsUnique
        }
        return try tlsExporter()
    }

    /// Returns the session to offer on the next connection, if the server issued a resumable one. On
    /// TLS 1.3 the ticket arrives after the handshake, so take it after reading a response.
    public func resumableSession() -> TLSSession? {
        guard let session = SSL_get1_session(ssl) else {
            return nil
        }
        guard SSL_SESSION_is_resumable(session) == 1 else {
            SSL_SESSION_free(session)
            return nil
        }
        return TLSSession(owning: session)
    }

    public func write(_ bytes: [UInt8]) throws(TLSClientError) {
        var offset = 0
        while offset < bytes.count {
            OpenSSLErrorQueue.clear()
            var written = 0
            errno = 0
            let status = bytes.withUnsafeBytes { buffer in
                // The loop runs only while bytes remain, so the buffer is not empty.
                SSL_write_ex(ssl, buffer.baseAddress! + offset, buffer.count - offset, &written)
            }
            guard status == 1 else {
                throw failure(status, during: "writing to \(endpoint)", handshake: false)
            }
            offset += written
        }
    }

    /// Reads at most `maximumCount` bytes, blocking until some arrive. Returns an empty array once
    /// the server has closed the connection.
    public func read(maximumCount: Int = 16_384) throws(TLSClientError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: maximumCount)
        var count = 0
        OpenSSLErrorQueue.clear()
        errno = 0
        let status = SSL_read_ex(ssl, &buffer, buffer.count, &count)
        guard status == 1 else {
            let error = SSL_get_error(ssl, status)
            // A peer that closes without close_notify is common for HTTP servers; both mean EOF.
            if error == SSL_ERROR_ZERO_RETURN || (error == SSL_ERROR_SYSCALL && errno == 0) {
                _ = OpenSSLErrorQueue.drain()
                return []
            }
            throw failure(status, during: "reading from \(endpoint)", handshake: false)
        }
        return Array(buffer.prefix(count))
    }

    /// Sends close_notify without waiting for the server's, then closes the socket.
    public func close() throws(TLSClientError) {
        guard descriptor >= 0 else {
            return
        }
        OpenSSLErrorQueue.clear()
        _ = SSL_shutdown(ssl)
        _ = OpenSSLErrorQueue.drain()

        let result = Glibc.close(descriptor)
        let error = errno
        descriptor = -1
        guard result == 0 else {
            throw TLSClientError(.ioFailed, "closing the connection to \(endpoint) failed: \(SystemCall.describe(error))")
        }
    }

    private func closeDescriptor() {
        if descriptor >= 0 {
            Glibc.close(descriptor)
            descriptor = -1
        }
    }

    private func failure(_ status: Int32, during action: String, handshake: Bool) -> TLSClientError {
        let savedErrno = errno
        switch SSL_get_error(ssl, status) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            _ = OpenSSLErrorQueue.drain()
            return TLSClientError(.timedOut, "\(action) timed out after \(context.configuration.ioTimeout) s")
        case SSL_ERROR_ZERO_RETURN:
            _ = OpenSSLErrorQueue.drain()
            return TLSClientError(.connectionClosed, "\(action) failed: the server closed the connection")
        case SSL_ERROR_SYSCALL where savedErrno != 0:
            _ = OpenSSLErrorQueue.drain()
            return TLSClientError(handshake ? .handshakeFailed : .ioFailed, "\(action) failed: \(SystemCall.describe(savedErrno))")
        case SSL_ERROR_SYSCALL:
            return OpenSSLErrorQueue.error(.connectionClosed, "\(action) failed: the server closed the connection")
        default:
            return OpenSSLErrorQueue.error(handshake ? .handshakeFailed : .ioFailed, "\(action) failed")
        }
    }

    private static func isIPAddress(_ name: String) -> Bool {
        var storage = in6_addr()
        return inet_pton(AF_INET, name, &storage) == 1 || inet_pton(AF_INET6, name, &storage) == 1
    }
}
