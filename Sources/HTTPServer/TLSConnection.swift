import COpenSSL

/// One server-side `SSL` over a non-blocking socket.
final class TLSConnection {
    enum Outcome: Equatable {
        case done(Int)
        case wantRead
        case wantWrite
        /// The peer closed the connection cleanly (close_notify or TCP end of stream).
        case closed
        case failed(String)
    }

    /// Owned by this object; the extension reading session details is its only other user.
    let ssl: OpaquePointer

    init(context: TLSContext, socket: Int32) throws(HTTPServerError) {
        OpenSSLErrorQueue.clear()
        guard let ssl = SSL_new(context.context) else {
            throw HTTPServerError(.tlsContext, "SSL_new failed: \(OpenSSLErrorQueue.drain())")
        }
        self.ssl = ssl

        guard SSL_set_fd(ssl, socket) == 1 else {
            throw HTTPServerError(.tlsContext, "SSL_set_fd failed: \(OpenSSLErrorQueue.drain())")
        }
        SSL_set_accept_state(ssl)
    }

    deinit {
        SSL_free(ssl)
    }

    func handshake() -> Outcome {
        OpenSSLErrorQueue.clear()
        let result = SSL_do_handshake(ssl)
        return result == 1 ? .done(0) : outcome(of: result)
    }

    func read(into buffer: inout [UInt8]) -> Outcome {
        OpenSSLErrorQueue.clear()
        let result = buffer.withUnsafeMutableBytes { bytes in
            SSL_read(ssl, bytes.baseAddress, Int32(bytes.count))
        }
        return result > 0 ? .done(Int(result)) : outcome(of: result)
    }

    /// Writes all of `bytes` in one SSL_write; after `.wantRead`/`.wantWrite` call again with the same bytes.
    func write(_ bytes: [UInt8]) -> Outcome {
        OpenSSLErrorQueue.clear()
        let result = bytes.withUnsafeBytes { buffer in
            SSL_write(ssl, buffer.baseAddress, Int32(buffer.count))
        }
        return result > 0 ? .done(Int(result)) : outcome(of: result)
    }

    /// Sends close_notify without waiting for the peer's; the socket is closed right after.
    func sendCloseNotify() {
        OpenSSLErrorQueue.clear()
        _ = SSL_shutdown(ssl)
        OpenSSLErrorQueue.clear()
    }

    private func outcome(of result: Int32) -> Outcome {
        let code = SSL_get_error(ssl, result)
        switch code {
        case SSL_ERROR_WANT_READ:
            return .wantRead
        case SSL_ERROR_WANT_WRITE:
            return .wantWrite
        case SSL_ERROR_ZERO_RETURN:
            return .closed
        case SSL_ERROR_SYSCALL:
            let queued = OpenSSLErrorQueue.drain(fallback: "")
            return queued.isEmpty ? .closed : .failed(queued)
        default:
            return .failed(OpenSSLErrorQueue.drain(fallback: "SSL error \(code)"))
        }
    }
}
