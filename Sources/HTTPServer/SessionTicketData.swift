import COpenSSL

/// The application data a session ticket carries: the intermediate certificates the client sent
/// in its full handshake. A resumed handshake carries no client certificates, and OpenSSL keeps
/// only the leaf in the session, so without them a chain that needs an intermediate to reach its
/// trust anchor would not verify on a resumed connection.
enum SessionTicketData {
    /// Real chains have one to three intermediates of a few KiB. A ticket is at most 64 KiB (a
    /// 16-bit length), and OpenSSL fails the handshake when the session does not fit.
    static let maximumChainBytes = 16 * 1024

    /// Stands for a chain too long to carry. A DER certificate never starts with a zero byte.
    private static let omittedChain: [UInt8] = [0]

    /// Stores the client's intermediates in the session of the ticket being made (OpenSSL's
    /// ticket generation callback). A ticket made on a resumed connection keeps the data the
    /// session was resumed with.
    static func store(for ssl: OpaquePointer?) {
        guard let ssl, let session = SSL_get_session(ssl) else {
            return
        }
        let chain = Array(TLSConnection.intermediates(of: ssl).joined())
        guard !chain.isEmpty else {
            return
        }
        let data = chain.count <= maximumChainBytes ? chain : omittedChain
        _ = data.withUnsafeBytes { bytes in
            SSL_SESSION_set1_ticket_appdata(session, bytes.baseAddress, bytes.count)
        }
    }

    /// Decides about a ticket the client offered (OpenSSL's ticket decryption callback). A
    /// decrypted ticket resumes the session, renewed when OpenSSL reports that it should be. An
    /// empty or undecryptable ticket, or one whose chain was too long to carry, gets a full
    /// handshake and a new ticket.
    static func decision(for session: OpaquePointer?, status: SSL_TICKET_STATUS) -> SSL_TICKET_RETURN {
        switch status {
        case SSL_TICKET_SUCCESS, SSL_TICKET_SUCCESS_RENEW:
            if let session, let data = appData(of: session), data.elementsEqual(omittedChain) {
                return SSL_TICKET_RETURN_IGNORE_RENEW
            }
            return status == SSL_TICKET_SUCCESS ? SSL_TICKET_RETURN_USE : SSL_TICKET_RETURN_USE_RENEW
        case SSL_TICKET_EMPTY, SSL_TICKET_NO_DECRYPT:
            return SSL_TICKET_RETURN_IGNORE_RENEW
        default:
            return SSL_TICKET_RETURN_ABORT
        }
    }

    /// Returns the intermediates that `store` put in the ticket `session` was resumed from,
    /// decoded. The caller owns one reference to each.
    static func intermediates(in session: OpaquePointer) -> [OpaquePointer] {
        guard let data = appData(of: session), let start = data.baseAddress, !data.elementsEqual(omittedChain) else {
            return []
        }

        // The certificates are concatenated: each one's DER encoding gives its length.
        var cursor: UnsafePointer<UInt8>? = start
        var certificates: [OpaquePointer] = []
        while let position = cursor, position - start < data.count {
            guard let certificate = d2i_X509(nil, &cursor, data.count - (position - start)) else {
                break
            }
            certificates.append(certificate)
        }
        return certificates
    }

    /// Returns the ticket data of `session` without copying it. The bytes belong to the session
    /// and stay valid while it is not changed or freed.
    private static func appData(of session: OpaquePointer) -> UnsafeBufferPointer<UInt8>? {
        var data: UnsafeMutableRawPointer?
        var length = 0
        guard SSL_SESSION_get0_ticket_appdata(session, &data, &length) == 1, let data, length > 0 else {
            return nil
        }
        return UnsafeBufferPointer(start: data.assumingMemoryBound(to: UInt8.self), count: length)
    }
}
