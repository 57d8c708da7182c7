import COpenSSL
import Foundation

/// A private key, owning its OpenSSL EVP_PKEY.
public final class PrivateKey: @unchecked Sendable {
    // @unchecked Sendable: the key is never modified after init, and OpenSSL 3 allows signing
    // with one EVP_PKEY from several threads at once.
    let pkey: OpaquePointer
    /// The public half, holding no private material.
    public let publicKey: PublicKey

    /// Takes ownership of `pkey`.
    init(taking pkey: OpaquePointer) throws {
        self.pkey = pkey
        let spki = try encodeDER("public key") { i2d_PUBKEY(pkey, $0) }
        self.publicKey = try PublicKey(subjectPublicKeyInfoDER: spki)
    }

    deinit {
        EVP_PKEY_free(pkey)
    }

    /// Generates a new key; RSA 4096 takes about a second, the others milliseconds.
    public static func generate(_ spec: KeySpec) throws -> PrivateKey {
        OpenSSLErrorQueue.clear()
        let typeName: String
        switch spec {
        case .rsa(let bits):
            guard KeySpec.validRSASizes.contains(bits) else {
                throw PKIError(.invalidKeySpec, "RSA key size \(bits) is not supported; valid sizes: 2048, 3072, 4096")
            }
            typeName = "RSA"
        case .ecdsa: typeName = "EC"
        case .ed25519: typeName = "ED25519"
        }

        guard let context = EVP_PKEY_CTX_new_from_name(nil, typeName, nil) else {
            throw PKIError(.keyGenerationFailed, "creating a \(spec) key generation context failed")
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_keygen_init(context) == 1 else {
            throw PKIError(.keyGenerationFailed, "initializing \(spec) key generation failed")
        }

        switch spec {
        case .rsa(let bits):
            guard EVP_PKEY_CTX_set_rsa_keygen_bits(context, Int32(bits)) == 1 else {
                throw PKIError(.keyGenerationFailed, "setting the RSA key size \(bits) failed")
            }
        case .ecdsa(let curve):
            guard EVP_PKEY_CTX_set_group_name(context, curve.groupName) == 1 else {
                throw PKIError(.keyGenerationFailed, "setting the curve \(curve.groupName) failed")
            }
        case .ed25519:
            break
        }

        var generated: OpaquePointer?
        guard EVP_PKEY_generate(context, &generated) == 1, let generated else {
            throw PKIError(.keyGenerationFailed, "generating a \(spec) key failed")
        }
        return try PrivateKey(taking: generated)
    }

    /// Reads a PEM private key: PKCS#8 ("PRIVATE KEY"), encrypted PKCS#8 ("ENCRYPTED PRIVATE
    /// KEY") or the traditional RSA and EC forms. Never prompts on a terminal.
    ///
    /// - Throws: `PKIError.invalidPrivateKey` when the PEM is invalid or, for an encrypted key,
    ///   the passphrase is wrong or missing.
    public convenience init(pemEncoded: String, passphrase: String? = nil) throws {
        let bio = try MemoryBIO(text: pemEncoded)
        OpenSSLErrorQueue.clear()
        let pkey = withOptionalCString(passphrase) { passphrasePointer in
            PEM_read_bio_PrivateKey(bio.bio, nil, passphraseCallback, UnsafeMutableRawPointer(mutating: passphrasePointer))
        }
        guard let pkey else {
            if pemEncoded.contains("ENCRYPTED") {
                throw PKIError(.invalidPrivateKey, "decrypting the private key failed; the passphrase is wrong or missing")
            }
            throw PKIError(.invalidPrivateKey, "private key PEM is invalid")
        }
        try self.init(taking: pkey)
    }

    /// Parses an unencrypted DER PKCS#8 PrivateKeyInfo (RFC 5208).
    public convenience init(pkcs8DER der: [UInt8]) throws {
        OpenSSLErrorQueue.clear()
        let parsed = decodeDER(der, { d2i_AutoPrivateKey(nil, $0, $1) }, free: { EVP_PKEY_free($0) })
        guard let pkey = parsed else {
            throw PKIError(.invalidPrivateKey, "private key is not a DER PKCS#8 PrivateKeyInfo")
        }
        try self.init(taking: pkey)
    }

    /// Reads a PEM private key file.
    public convenience init(path: String, passphrase: String? = nil) throws {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw PKIError(.fileAccess, "reading the private key file \(path) failed: \(error.localizedDescription)")
        }
        try self.init(pemEncoded: text, passphrase: passphrase)
    }

    /// The unencrypted DER PKCS#8 PrivateKeyInfo, as EST server-side key generation returns it
    /// (RFC 7030 section 4.4.2).
    public var pkcs8DER: [UInt8] {
        get throws {
            let bio = try MemoryBIO()
            OpenSSLErrorQueue.clear()
            guard i2d_PKCS8PrivateKey_bio(bio.bio, pkey, nil, nil, 0, nil, nil) == 1 else {
                throw PKIError(.internalError, "encoding the private key as PKCS#8 failed")
            }
            return bio.bytes
        }
    }

    /// PKCS#8 PEM, encrypted with AES-256-CBC under `passphrase` when one is given.
    public func pkcs8PEM(passphrase: String? = nil) throws -> String {
        let bio = try MemoryBIO()
        OpenSSLErrorQueue.clear()
        let written: Int32
        if let passphrase {
            var bytes = Array(passphrase.utf8CString)
            defer { bytes.withUnsafeMutableBytes { OPENSSL_cleanse($0.baseAddress, $0.count) } }
            written = PEM_write_bio_PKCS8PrivateKey(bio.bio, pkey, EVP_aes_256_cbc(), &bytes, Int32(bytes.count - 1), nil, nil)
        } else {
            written = PEM_write_bio_PKCS8PrivateKey(bio.bio, pkey, nil, nil, 0, nil, nil)
        }
        guard written == 1 else {
            throw PKIError(.internalError, "encoding the private key as PKCS#8 PEM failed")
        }
        return bio.text
    }

    /// Writes the PKCS#8 PEM to `path`, creating the file with mode 0600 (an existing file is
    /// truncated and set to 0600 before anything is written). Symbolic links are not followed.
    public func write(toPath path: String, passphrase: String? = nil) throws {
        let pem = try pkcs8PEM(passphrase: passphrase)
        try SecretFile.write(Array(pem.utf8), toPath: path)
    }

    /// The digest for signing with this key: none for Ed25519 (it hashes internally), SHA-384
    /// and SHA-512 for P-384 and P-521 to match their strength, else SHA-256.
    var signatureDigest: OpaquePointer? {
        switch publicKey.algorithm {
        case .ed25519: nil
        case .ecdsa(.p384): EVP_sha384()
        case .ecdsa(.p521): EVP_sha512()
        default: EVP_sha256()
        }
    }
}

/// Supplies the passphrase given as the callback's user data; without one it fails instead of
/// letting OpenSSL prompt on the terminal.
private let passphraseCallback: @convention(c) (UnsafeMutablePointer<CChar>?, Int32, Int32, UnsafeMutableRawPointer?) -> Int32 = {
    buffer, size, _, userData in
    guard let buffer, let userData else {
        return -1
    }
    let passphrase = userData.assumingMemoryBound(to: CChar.self)
    let length = strlen(passphrase)
    guard length < Int(size) else {
        return -1
    }
    memcpy(buffer, passphrase, length)
    return Int32(length)
}

private func withOptionalCString<Result>(_ text: String?, _ body: (UnsafePointer<CChar>?) -> Result) -> Result {
    guard let text else {
        return body(nil)
    }
    return text.withCString { body($0) }
}
