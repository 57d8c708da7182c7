import COpenSSL

/// A resumable TLS session taken from a finished connection and offered by the next one, so that
/// it can skip the full handshake.
///
/// Safe to share between threads: an `SSL_SESSION` is reference counted by OpenSSL and is not
/// mutated once it is resumable.
public final class TLSSession: @unchecked Sendable {
    let session: OpaquePointer

    /// Takes ownership of one reference to `session`.
    init(owning session: OpaquePointer) {
        self.session = session
    }

    deinit {
        SSL_SESSION_free(session)
    }
}
