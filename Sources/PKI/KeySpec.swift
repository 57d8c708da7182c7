/// A NIST prime curve for ECDSA keys.
public enum ECCurve: String, CaseIterable, Sendable {
    case p256
    case p384
    case p521

    /// The OpenSSL group name.
    var groupName: String {
        switch self {
        case .p256: "prime256v1"
        case .p384: "secp384r1"
        case .p521: "secp521r1"
        }
    }

    init?(groupName: String) {
        switch groupName {
        case "prime256v1", "P-256", "secp256r1": self = .p256
        case "secp384r1", "P-384": self = .p384
        case "secp521r1", "P-521": self = .p521
        default: return nil
        }
    }

    public var bits: Int {
        switch self {
        case .p256: 256
        case .p384: 384
        case .p521: 521
        }
    }
}

/// The kind of key to generate.
public enum KeySpec: Equatable, Sendable, CustomStringConvertible {
    case rsa(bits: Int)
    case ecdsa(ECCurve)
    case ed25519

    public static let validRSASizes = [2048, 3072, 4096]
    /// The values `init(parsing:)` accepts, as given on the command line.
    public static let validNames = ["rsa2048", "rsa3072", "rsa4096", "p256", "p384", "p521", "ed25519"]

    /// Parses a command-line value such as "rsa3072", "p256" or "ed25519".
    ///
    /// - Throws: `PKIError.invalidKeySpec` listing the valid values.
    public init(parsing text: String) throws {
        switch text.lowercased() {
        case "rsa2048": self = .rsa(bits: 2048)
        case "rsa3072": self = .rsa(bits: 3072)
        case "rsa4096": self = .rsa(bits: 4096)
        case "p256": self = .ecdsa(.p256)
        case "p384": self = .ecdsa(.p384)
        case "p521": self = .ecdsa(.p521)
        case "ed25519": self = .ed25519
        default:
            throw PKIError(
                .invalidKeySpec,
                "key type \"\(text)\" is not supported; valid values: \(Self.validNames.joined(separator: ", "))")
        }
    }

    public var description: String {
        switch self {
        case .rsa(let bits): "rsa\(bits)"
        case .ecdsa(let curve): curve.rawValue
        case .ed25519: "ed25519"
        }
    }
}

/// The algorithm and size of a public key.
public enum KeyAlgorithm: Equatable, Sendable, CustomStringConvertible {
    case rsa(bits: Int)
    case ecdsa(curve: ECCurve)
    case ed25519
    /// A key that OpenSSL can read but estgate does not issue for (DSA, Ed448, other curves),
    /// with OpenSSL's type or curve name.
    case other(name: String, bits: Int)

    /// "rsa", "ecdsa", "ed25519", or OpenSSL's name for other keys.
    public var name: String {
        switch self {
        case .rsa: "rsa"
        case .ecdsa: "ecdsa"
        case .ed25519: "ed25519"
        case .other(let name, _): name
        }
    }

    public var bits: Int {
        switch self {
        case .rsa(let bits): bits
        case .ecdsa(let curve): curve.bits
        case .ed25519: 256
        case .other(_, let bits): bits
        }
    }

    /// "rsa 2048", "ecdsa p256", "ed25519".
    public var description: String {
        switch self {
        case .rsa(let bits): "rsa \(bits)"
        case .ecdsa(let curve): "ecdsa \(curve.rawValue)"
        case .ed25519: "ed25519"
        case .other(let name, let bits): "\(name) \(bits)"
        }
    }
}
