import COpenSSL

/// A public key, owning its OpenSSL EVP_PKEY.
public final class PublicKey: Equatable, Hashable, CustomStringConvertible,
    @unchecked Sendable
{
    // @unchecked Sendable: the key is never modified after init, and OpenSSL 3 allows concurrent
    // read-only use of an EVP_PKEY.
    let pkey: OpaquePointer
    public let algorithm: KeyAlgorithm
    /// The DER SubjectPublicKeyInfo (RFC 5280 section 4.1.2.7).
    public let subjectPublicKeyInfoDER: [UInt8]

    /// Takes ownership of `pkey`.
    init(taking pkey: OpaquePointer) throws {
        self.pkey = pkey
        self.algorithm = KeyAlgorithm(pkey)
        self.subjectPublicKeyInfoDER = try encodeDER("public key") { i2d_PUBKEY(pkey, $0) }
    }

    /// Shares `pkey` with its current owner by taking a reference.
    convenience init(sharing pkey: OpaquePointer) throws {
        EVP_PKEY_up_ref(pkey)
        try self.init(taking: pkey)
    }

    /// Shares `pkey` whose SubjectPublicKeyInfo is already at hand, as read from a CSR, which
    /// spares OpenSSL's encoder.
    init(sharing pkey: OpaquePointer, subjectPublicKeyInfoDER: [UInt8]) {
        EVP_PKEY_up_ref(pkey)
        self.pkey = pkey
        self.algorithm = KeyAlgorithm(pkey)
        self.subjectPublicKeyInfoDER = subjectPublicKeyInfoDER
    }

    /// Parses a DER SubjectPublicKeyInfo.
    public convenience init(subjectPublicKeyInfoDER der: [UInt8]) throws {
        OpenSSLErrorQueue.clear()
        let parsed = decodeDER(der, { d2i_PUBKEY(nil, $0, $1) }, free: { EVP_PKEY_free($0) })
        guard let pkey = parsed else {
            throw PKIError(.invalidPublicKey, "public key is not a DER SubjectPublicKeyInfo")
        }
        try self.init(taking: pkey)
    }

    deinit {
        EVP_PKEY_free(pkey)
    }

    /// PEM with the label "PUBLIC KEY".
    public var pemEncoded: String {
        PEM.encode(label: "PUBLIC KEY", der: subjectPublicKeyInfoDER)
    }

    /// Lowercase hex SHA-256 of the SubjectPublicKeyInfo.
    public var fingerprint: String {
        Digest.sha256(subjectPublicKeyInfoDER).hexString
    }

    public var description: String {
        algorithm.description
    }

    public static func == (lhs: PublicKey, rhs: PublicKey) -> Bool {
        lhs.subjectPublicKeyInfoDER == rhs.subjectPublicKeyInfoDER
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(subjectPublicKeyInfoDER)
    }
}

extension KeyAlgorithm {
    init(_ pkey: OpaquePointer) {
        let bits = Int(EVP_PKEY_get_bits(pkey))
        if EVP_PKEY_is_a(pkey, "RSA") == 1 || EVP_PKEY_is_a(pkey, "RSA-PSS") == 1 {
            self = .rsa(bits: bits)
        } else if EVP_PKEY_is_a(pkey, "ED25519") == 1 {
            self = .ed25519
        } else if EVP_PKEY_is_a(pkey, "EC") == 1 {
            let group = Self.groupName(pkey) ?? "unknown-curve"
            if let curve = ECCurve(groupName: group) {
                self = .ecdsa(curve: curve)
            } else {
                self = .other(name: "ecdsa-\(group)", bits: bits)
            }
        } else {
            let name = EVP_PKEY_get0_type_name(pkey).map { String(cString: $0).lowercased() } ?? "unknown"
            self = .other(name: name, bits: bits)
        }
    }

    private static func groupName(_ pkey: OpaquePointer) -> String? {
        var buffer = [CChar](repeating: 0, count: 64)
        var length = 0
        guard EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, &buffer, buffer.count, &length) == 1 else {
            OpenSSLErrorQueue.clear()
            return nil
        }
        return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
