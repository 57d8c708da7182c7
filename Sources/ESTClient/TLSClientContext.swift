import COpenSSL

/// An OpenSSL client context built once from a configuration and shared by the connections it opens,
/// so trust anchors and the client key are loaded once rather than per connection.
///
/// Safe to share between threads: OpenSSL allows concurrent `SSL_new` on a context that is no
/// longer being configured, and nothing mutates it after `init`.
public final class TLSClientContext: @unchecked Sendable {
    let context: OpaquePointer
    public let configuration: TLSClientConfiguration

    public init(configuration: TLSClientConfiguration) throws(TLSClientError) {
        OpenSSLErrorQueue.clear()
        guard let context = SSL_CTX_new(TLS_client_method()) else {
            throw OpenSSLErrorQueue.error(.configuration, "SSL_CTX_new failed")
        }
        self.context = context
        self.configuration = configuration

        try setVersions(minimum: configuration.minimumVersion, maximum: configuration.maximumVersion)
        try setServerVerification(configuration.serverVerification)
        if let identity = configuration.clientIdentity {
            try useClientIdentity(identity)
        }
    }

    deinit {
        SSL_CTX_free(context)
    }

    private func setVersions(
        minimum: TLSClientConfiguration.ProtocolVersion, maximum: TLSClientConfiguration.ProtocolVersion?
    ) throws(TLSClientError) {
        OpenSSLErrorQueue.clear()
        guard COpenSSL_SSL_CTX_set_min_proto_version(context, Self.openSSLVersion(minimum)) == 1 else {
            throw OpenSSLErrorQueue.error(.configuration, "cannot set the minimum TLS version to \(minimum)")
        }

        guard let maximum else {
            return
        }
        // SSL_CTX_set_max_proto_version is a macro over SSL_CTX_ctrl.
        guard SSL_CTX_ctrl(context, SSL_CTRL_SET_MAX_PROTO_VERSION, Int(Self.openSSLVersion(maximum)), nil) == 1 else {
            throw OpenSSLErrorQueue.error(.configuration, "cannot set the maximum TLS version to \(maximum)")
        }
    }

    private func setServerVerification(_ verification: TLSClientConfiguration.ServerVerification) throws(TLSClientError) {
        switch verification {
        case .insecureNoVerification:
            SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nil)
        case .caFile(let path):
            OpenSSLErrorQueue.clear()
            guard SSL_CTX_load_verify_locations(context, path, nil) == 1 else {
                throw OpenSSLErrorQueue.error(.configuration, "cannot load trust anchors from \(path)")
            }
            SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        }
    }

    private func useClientIdentity(_ identity: TLSClientConfiguration.ClientIdentity) throws(TLSClientError) {
        OpenSSLErrorQueue.clear()
        guard SSL_CTX_use_certificate_chain_file(context, identity.certificateChainFile) == 1 else {
            throw OpenSSLErrorQueue.error(
                .configuration, "cannot load the client certificate chain from \(identity.certificateChainFile)")
        }
        guard SSL_CTX_use_PrivateKey_file(context, identity.privateKeyFile, SSL_FILETYPE_PEM) == 1 else {
            throw OpenSSLErrorQueue.error(.configuration, "cannot load the client private key from \(identity.privateKeyFile)")
        }
        guard SSL_CTX_check_private_key(context) == 1 else {
            throw OpenSSLErrorQueue.error(
                .configuration, "the private key in \(identity.privateKeyFile) does not match the client certificate")
        }
    }

    private static func openSSLVersion(_ version: TLSClientConfiguration.ProtocolVersion) -> Int32 {
        switch version {
        case .tls12: TLS1_2_VERSION
        case .tls13: TLS1_3_VERSION
        }
    }
}
