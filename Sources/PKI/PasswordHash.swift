import COpenSSL

/// Salted scrypt password hashes (RFC 7914) for HTTP Basic device credentials, stored as
/// `$scrypt$ln=14,r=8,p=1$<salt base64>$<hash base64>`.
public enum PasswordHash {
    /// log2 of scrypt's N for new hashes. N = 2^14 with r = 8 uses 16 MiB per hash; `openssl kdf`
    /// with these parameters took 0.12 s including process start on a shared AMD EPYC core, so
    /// one hash is estimated at a few tens of milliseconds. Stored hashes keep their own N.
    public static let defaultLogN = 14
    static let blockSize = 8
    static let parallelization = 1
    static let saltLength = 16
    static let hashLength = 32
    /// Upper bounds accepted from stored strings, so a tampered row cannot demand huge memory.
    static let maximumLogN = 20
    static let maximumBlockSize = 16
    static let maximumParallelization = 16

    /// Hashes `password` with a new random salt.
    ///
    /// - Throws: `PKIError.internalError` when random bytes or scrypt fail.
    public static func make(_ password: String) throws -> String {
        var salt = [UInt8](repeating: 0, count: saltLength)
        OpenSSLErrorQueue.clear()
        guard RAND_bytes(&salt, Int32(salt.count)) == 1 else {
            throw PKIError(.internalError, "generating a password salt failed")
        }
        let hash = try scrypt(password, salt: salt, logN: defaultLogN, r: blockSize, p: parallelization, length: hashLength)
        let parameters = "ln=\(defaultLogN),r=\(blockSize),p=\(parallelization)"
        return "$scrypt$\(parameters)$\(Base64.encode(salt, lineLength: nil))$\(Base64.encode(hash, lineLength: nil))"
    }

    /// True when `password` hashes to `stored`; the hashes are compared in constant time.
    /// A malformed `stored` string gives false.
    public static func verify(_ password: String, against stored: String) -> Bool {
        guard let parsed = try? StoredHash(stored),
            let candidate = try? scrypt(password, salt: parsed.salt, logN: parsed.logN, r: parsed.r, p: parsed.p, length: parsed.hash.count)
        else {
            OpenSSLErrorQueue.clear()
            return false
        }
        return CRYPTO_memcmp(candidate, parsed.hash, candidate.count) == 0
    }

    static func scrypt(_ password: String, salt: [UInt8], logN: Int, r: Int, p: Int, length: Int) throws -> [UInt8] {
        let passwordBytes = Array(password.utf8)
        var key = [UInt8](repeating: 0, count: length)
        let n = UInt64(1) << UInt64(logN)
        // scrypt needs 128 * N * r * p bytes; allow that plus 1 MiB for OpenSSL's bookkeeping.
        let memoryLimit = 128 * n * UInt64(r) * UInt64(p) + (1 << 20)
        OpenSSLErrorQueue.clear()
        let succeeded = passwordBytes.withUnsafeBytes { passwordBuffer in
            EVP_PBE_scrypt(
                passwordBuffer.baseAddress?.assumingMemoryBound(to: CChar.self), passwordBuffer.count,
                salt, salt.count, n, UInt64(r), UInt64(p), memoryLimit, &key, key.count)
        }
        guard succeeded == 1 else {
            throw PKIError(.internalError, "scrypt with ln=\(logN),r=\(r),p=\(p) failed")
        }
        return key
    }
}

/// A parsed `$scrypt$ln=..,r=..,p=..$salt$hash` string.
private struct StoredHash {
    var logN: Int
    var r: Int
    var p: Int
    var salt: [UInt8]
    var hash: [UInt8]

    init(_ text: String) throws {
        let fields = text.split(separator: "$", omittingEmptySubsequences: false)
        guard fields.count == 5, fields[0].isEmpty, fields[1] == "scrypt" else {
            throw PKIError(.invalidPasswordHash, "password hash is not in $scrypt$ format")
        }
        var parameters: [Substring: Int] = [:]
        for pair in fields[2].split(separator: ",") {
            let parts = pair.split(separator: "=")
            guard parts.count == 2, let value = Int(parts[1]) else {
                throw PKIError(.invalidPasswordHash, "password hash parameter \"\(pair)\" is invalid")
            }
            parameters[parts[0]] = value
        }
        guard let logN = parameters["ln"], let r = parameters["r"], let p = parameters["p"],
            (1...PasswordHash.maximumLogN).contains(logN), (1...PasswordHash.maximumBlockSize).contains(r),
            (1...PasswordHash.maximumParallelization).contains(p)
        else {
            throw PKIError(.invalidPasswordHash, "password hash parameters \"\(fields[2])\" are missing or out of range")
        }
        self.logN = logN
        self.r = r
        self.p = p
        self.salt = try Base64.decode(String(fields[3]))
        self.hash = try Base64.decode(String(fields[4]))
        guard !salt.isEmpty, (16...64).contains(hash.count) else {
            throw PKIError(.invalidPasswordHash, "password hash salt or hash has an invalid length")
        }
    }
}
