import COpenSSL
import Glibc

/// The server's `SSL_CTX`: certificate, key, protocol and cipher policy, client verification.
///
/// `@unchecked Sendable`: the context is only mutated in `init`; afterwards OpenSSL allows
/// `SSL_new` and session-cache access from any thread.
final class TLSContext: @unchecked Sendable {
    /// TLS 1.2 suites: ECDHE key exchange with AEAD ciphers only. TLS 1.3 uses OpenSSL's defaults,
    /// which are all AEAD.
    static let tls12CipherList = [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
    ].joined(separator: ":")

    static let sessionIDContext = Array("estgate".utf8)

    let context: OpaquePointer
    let clientCertificateMode: TLSConfiguration.ClientCertificateMode
    /// False when client chains are left to the handler: OpenSSL then checks no chain.
    let verifiesClientChains: Bool

    init(configuration: TLSConfiguration) throws(HTTPServerError) {
        OpenSSLErrorQueue.clear()
        guard let context = SSL_CTX_new(TLS_server_method()) else {
            throw HTTPServerError(.tlsContext, "SSL_CTX_new failed: \(OpenSSLErrorQueue.drain())")
        }
        self.context = context
        self.clientCertificateMode = configuration.clientCertificateMode
        self.verifiesClientChains =
            configuration.clientCertificateMode != .request || configuration.verifiesRequestedCertificates

        try applyProtocolPolicy()
        try configureResumption(enabled: configuration.sessionResumption)
        try loadIdentity(configuration)
        try configureClientVerification(configuration)
    }

    deinit {
        SSL_CTX_free(context)
    }

    private func applyProtocolPolicy() throws(HTTPServerError) {
        guard COpenSSL_SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION) == 1 else {
            throw HTTPServerError(.tlsContext, "setting TLS 1.2 as the minimum version failed: \(OpenSSLErrorQueue.drain())")
        }
        guard SSL_CTX_set_cipher_list(context, Self.tls12CipherList) == 1 else {
            throw HTTPServerError(.tlsContext, "setting the TLS 1.2 cipher list failed: \(OpenSSLErrorQueue.drain())")
        }

        // Client-initiated renegotiation costs the server a handshake each time and buys nothing.
        let options = COpenSSL_SSL_OP_NO_RENEGOTIATION() | COpenSSL_SSL_OP_CIPHER_SERVER_PREFERENCE() | COpenSSL_SSL_OP_NO_COMPRESSION()
        SSL_CTX_set_options(context, options)

        // Responses are handed to SSL_write from Swift arrays that may move between retries.
        COpenSSL_SSL_CTX_set_mode(context, Int(SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS))

        SSL_CTX_set_alpn_select_cb(context, { _, selected, selectedLength, offered, offeredLength, _ in
            TLSContext.selectHTTP11(selected, selectedLength, offered, offeredLength)
        }, nil)
    }

    private func configureResumption(enabled: Bool) throws(HTTPServerError) {
        let contextSet = Self.sessionIDContext.withUnsafeBufferPointer { buffer in
            SSL_CTX_set_session_id_context(context, buffer.baseAddress, UInt32(buffer.count))
        }
        guard contextSet == 1 else {
            throw HTTPServerError(.tlsContext, "setting the session id context failed: \(OpenSSLErrorQueue.drain())")
        }

        // OpenSSL sends two TLS 1.3 session tickets by default, for clients that open parallel
        // connections. An EST device opens one at a time, so one ticket lets it resume.
        let tickets: Int = enabled ? 1 : 0
        guard SSL_CTX_set_num_tickets(context, tickets) == 1 else {
            throw HTTPServerError(.tlsContext, "setting the number of TLS 1.3 session tickets to \(tickets) failed: \(OpenSSLErrorQueue.drain())")
        }
        // Sessions resume through tickets only. A session the server cached would lose the
        // client's intermediate certificates, which the ticket carries, and would hold memory.
        COpenSSL_SSL_CTX_set_session_cache_mode(context, Int(SSL_SESS_CACHE_OFF))
        guard enabled else {
            SSL_CTX_set_options(context, COpenSSL_SSL_OP_NO_TICKET())
            return
        }

        let callbackSet = SSL_CTX_set_session_ticket_cb(
            context,
            { ssl, _ in
                SessionTicketData.store(for: ssl)
                return 1
            },
            { _, session, _, _, status, _ in SessionTicketData.decision(for: session, status: status) },
            nil)
        guard callbackSet == 1 else {
            throw HTTPServerError(.tlsContext, "setting the session ticket callback failed: \(OpenSSLErrorQueue.drain())")
        }
    }

    private func loadIdentity(_ configuration: TLSConfiguration) throws(HTTPServerError) {
        try Self.requireReadable(configuration.certificateChainPath, code: .certificateChain, what: "certificate chain")
        OpenSSLErrorQueue.clear()
        guard SSL_CTX_use_certificate_chain_file(context, configuration.certificateChainPath) == 1 else {
            throw HTTPServerError(
                .certificateChain,
                "loading the certificate chain from \(configuration.certificateChainPath) failed: \(OpenSSLErrorQueue.drain())")
        }

        try Self.requireReadable(configuration.privateKeyPath, code: .privateKey, what: "private key")
        OpenSSLErrorQueue.clear()
        guard SSL_CTX_use_PrivateKey_file(context, configuration.privateKeyPath, SSL_FILETYPE_PEM) == 1 else {
            throw HTTPServerError(
                .privateKey, "loading the private key from \(configuration.privateKeyPath) failed: \(OpenSSLErrorQueue.drain())")
        }
        guard SSL_CTX_check_private_key(context) == 1 else {
            throw HTTPServerError(
                .privateKey,
                "the private key in \(configuration.privateKeyPath) does not match the certificate in \(configuration.certificateChainPath): \(OpenSSLErrorQueue.drain())")
        }
    }

    private func configureClientVerification(_ configuration: TLSConfiguration) throws(HTTPServerError) {
        if let trustAnchorsPath = configuration.trustAnchorsPath {
            try Self.requireReadable(trustAnchorsPath, code: .trustAnchors, what: "trust anchors")
            OpenSSLErrorQueue.clear()
            guard SSL_CTX_load_verify_locations(context, trustAnchorsPath, nil) == 1 else {
                throw HTTPServerError(
                    .trustAnchors, "loading trust anchors from \(trustAnchorsPath) failed: \(OpenSSLErrorQueue.drain())")
            }
            guard let names = SSL_load_client_CA_file(trustAnchorsPath) else {
                throw HTTPServerError(
                    .trustAnchors, "reading CA names from \(trustAnchorsPath) failed: \(OpenSSLErrorQueue.drain())")
            }
            // The context takes ownership of the name list.
            SSL_CTX_set_client_CA_list(context, names)
        }

        switch configuration.clientCertificateMode {
        case .none:
            SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nil)
        case .request:
            // Accept whatever verification finds; the result is read back after the handshake
            // with SSL_get_verify_result and handed to the request handler.
            SSL_CTX_set_verify(context, SSL_VERIFY_PEER, { _, _ in 1 })
            if !configuration.verifiesRequestedCertificates {
                // This callback replaces the chain verification only. OpenSSL still checks the
                // client's CertificateVerify signature with the certificate's key.
                SSL_CTX_set_cert_verify_callback(context, { _, _ in 1 }, nil)
            }
        case .require:
            guard configuration.trustAnchorsPath != nil else {
                throw HTTPServerError(
                    .trustAnchors, "client certificate mode require needs trustAnchorsPath to verify against")
            }
            SSL_CTX_set_verify(context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nil)
        }
    }

    private static func requireReadable(_ path: String, code: HTTPServerError.Code, what: String) throws(HTTPServerError) {
        guard access(path, R_OK) == 0 else {
            throw HTTPServerError(code, "the \(what) file \(path) cannot be read: \(String(cString: strerror(errno)))")
        }
    }

    /// Picks `http/1.1` from the client's ALPN list; without it the handshake goes on with no ALPN.
    private static func selectHTTP11(
        _ selected: UnsafeMutablePointer<UnsafePointer<UInt8>?>?,
        _ selectedLength: UnsafeMutablePointer<UInt8>?,
        _ offered: UnsafePointer<UInt8>?,
        _ offeredLength: UInt32
    ) -> Int32 {
        guard let offered, let selected, let selectedLength else {
            return SSL_TLSEXT_ERR_NOACK
        }

        // The list is length-prefixed protocol names (RFC 7301 section 3.1).
        var index = 0
        let wanted = Array("http/1.1".utf8)
        while index < Int(offeredLength) {
            let length = Int(offered[index])
            let start = index + 1
            guard start + length <= Int(offeredLength) else {
                break
            }
            if length == wanted.count && (0..<length).allSatisfy({ offered[start + $0] == wanted[$0] }) {
                selected.pointee = offered + start
                selectedLength.pointee = UInt8(length)
                return SSL_TLSEXT_ERR_OK
            }
            index = start + length
        }
        return SSL_TLSEXT_ERR_NOACK
    }
}
