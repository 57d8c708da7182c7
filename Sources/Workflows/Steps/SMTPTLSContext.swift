import COpenSSL

/// The TLS client settings for STARTTLS: peer verification, TLS 1.2 or newer, and the trust
/// anchors. It owns its `SSL_CTX` and frees it in `deinit`.
final class SMTPTLSContext {
    let pointer: OpaquePointer

    init(caFile: String?) throws(SMTPError) {
        ERR_clear_error()
        guard let context = SSL_CTX_new(TLS_client_method()) else {
            throw SMTPTLSSession.error("SSL_CTX_new failed")
        }
        pointer = context

        // An SSL copies the verify mode when SSL_new creates it, so the context is complete
        // before any session is made from it.
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        guard COpenSSL_SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION) == 1 else {
            throw SMTPTLSSession.error("cannot require TLS 1.2")
        }
        let trustLoaded = caFile.map { SSL_CTX_load_verify_locations(context, $0, nil) } ?? SSL_CTX_set_default_verify_paths(context)
        guard trustLoaded == 1 else {
            throw SMTPTLSSession.error("cannot load trust anchors from \(caFile ?? "the system store")")
        }
    }

    deinit {
        SSL_CTX_free(pointer)
    }
}
