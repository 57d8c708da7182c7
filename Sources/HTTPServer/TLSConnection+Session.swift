import COpenSSL

/// The parameters a finished handshake established: version, cipher, client certificate, channel bindings.
struct TLSSessionInfo: Sendable {
    var version: String
    var cipher: String
    var peerCertificateChain: [[UInt8]]
    var peerCertificates: PeerCertificates?
    var peerCertificateSubject: String?
    var peerCertificateVerified: Bool
    var peerVerificationError: String?
    var verifyResult: Int
    var tlsUnique: [UInt8]?
    var tlsExporter: [UInt8]?
}

extension TLSConnection {
    static let exporterLabel = "EXPORTER-Channel-Binding"
    static let exporterLength = 32

    /// Reads the negotiated parameters once the handshake is done. `chainVerified` is false when
    /// OpenSSL is configured not to verify client chains, so its verify result means nothing.
    func sessionInfo(chainVerified: Bool) -> TLSSessionInfo {
        let version = String(cString: SSL_get_version(ssl))
        let cipher = SSL_get_current_cipher(ssl).map { String(cString: SSL_CIPHER_get_name($0)) } ?? ""
        let chain = peerChain()
        let verifyResult = SSL_get_verify_result(ssl)
        let verified = chainVerified && !chain.certificates.isEmpty && verifyResult == Int(X509_V_OK)
        let verificationError =
            !chainVerified || chain.certificates.isEmpty || verified
            ? nil : String(cString: X509_verify_cert_error_string(verifyResult))
        let isTLS13 = SSL_version(ssl) == TLS1_3_VERSION

        return TLSSessionInfo(
            version: version, cipher: cipher, peerCertificateChain: chain.certificates,
            peerCertificates: chain.decoded, peerCertificateSubject: chain.subject, peerCertificateVerified: verified,
            peerVerificationError: verificationError, verifyResult: verifyResult,
            tlsUnique: isTLS13 ? nil : tlsUnique(), tlsExporter: isTLS13 ? tlsExporter() : nil)
    }

    /// Reads the peer's certificates, leaf first as sent, in DER and decoded, and the leaf's
    /// subject in RFC 2253 form. A resumed session's intermediates come from its ticket.
    private func peerChain() -> (certificates: [[UInt8]], decoded: PeerCertificates?, subject: String?) {
        guard let leaf = SSL_get1_peer_certificate(ssl) else {
            return ([], nil, nil)
        }
        defer { X509_free(leaf) }

        var fromTicket: [OpaquePointer] = []
        defer { fromTicket.forEach { X509_free($0) } }
        var intermediates = Self.intermediateCertificates(of: ssl)
        if intermediates.isEmpty, SSL_session_reused(ssl) == 1, let session = SSL_get_session(ssl) {
            fromTicket = SessionTicketData.intermediates(in: session)
            intermediates = fromTicket
        }

        let decoded = PeerCertificates(retaining: [leaf] + intermediates)
        return (decoded.derEncoded, decoded, Self.subject(of: leaf))
    }

    /// Returns the certificates the client sent after its leaf, in DER. On the server side
    /// OpenSSL's stack holds only those, and a resumed handshake has none.
    static func intermediates(of ssl: OpaquePointer) -> [[UInt8]] {
        intermediateCertificates(of: ssl).map(der(of:))
    }

    /// Returns the certificates the client sent after its leaf, borrowed from the connection.
    private static func intermediateCertificates(of ssl: OpaquePointer) -> [OpaquePointer] {
        guard let stack = SSL_get_peer_cert_chain(ssl) else {
            return []
        }
        return (0..<OPENSSL_sk_num(stack)).compactMap { index in
            OpaquePointer(OPENSSL_sk_value(stack, index))
        }
    }

    /// tls-unique (RFC 5929 section 3.1): the first Finished message of the latest handshake. In a
    /// full handshake the client sends it; in a resumed one the server does.
    private func tlsUnique() -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 64)
        let length = buffer.withUnsafeMutableBytes { bytes in
            SSL_session_reused(ssl) == 1
                ? SSL_get_finished(ssl, bytes.baseAddress, bytes.count)
                : SSL_get_peer_finished(ssl, bytes.baseAddress, bytes.count)
        }
        return Array(buffer.prefix(min(length, buffer.count)))
    }

    /// tls-exporter (RFC 9266 section 2): 32 bytes exported with no context.
    private func tlsExporter() -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: Self.exporterLength)
        OpenSSLErrorQueue.clear()
        let result = buffer.withUnsafeMutableBytes { bytes in
            SSL_export_keying_material(
                ssl, bytes.baseAddress, bytes.count, Self.exporterLabel, Self.exporterLabel.utf8.count, nil, 0, 0)
        }
        guard result == 1 else {
            OpenSSLErrorQueue.clear()
            return nil
        }
        return buffer
    }

    static func der(of certificate: OpaquePointer) -> [UInt8] {
        var output: UnsafeMutablePointer<UInt8>?
        let length = i2d_X509(certificate, &output)
        guard length > 0, let output else {
            return []
        }
        defer { CRYPTO_free(output, #fileID, #line) }
        return Array(UnsafeBufferPointer(start: output, count: Int(length)))
    }

    private static func subject(of certificate: OpaquePointer) -> String? {
        guard let name = X509_get_subject_name(certificate), let bio = BIO_new(BIO_s_mem()) else {
            return nil
        }
        defer { BIO_free(bio) }

        guard X509_NAME_print_ex(bio, name, 0, COpenSSL_XN_FLAG_RFC2253()) >= 0 else {
            return nil
        }
        var data: UnsafeMutablePointer<CChar>?
        let length = COpenSSL_BIO_get_mem_data(bio, &data)
        guard length > 0, let data else {
            return ""
        }
        return String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
    }
}
