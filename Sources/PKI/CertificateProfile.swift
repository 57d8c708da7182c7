import COpenSSL

/// The contents a CA gives the certificates it issues for one kind of request (an EST "template").
public struct CertificateProfile: Codable, Equatable, Sendable {
    public var name: String
    public var validityDays: Int
    /// keyUsage bit names from RFC 5280 ("digitalSignature", "keyEncipherment", "keyAgreement").
    public var keyUsage: [String]
    /// extendedKeyUsage purposes by OpenSSL short name ("clientAuth", "serverAuth") or dotted OID.
    public var extendedKeyUsage: [String]
    /// The subjectAltName kinds copied from the CSR: "dns", "ip", "uri", "email".
    public var copySubjectAlternativeNames: [String]
    /// The subject attribute types kept from the CSR, by short name ("CN", "O", "serialNumber").
    public var keptSubjectAttributes: [String]
    /// Accepted keys: "rsa>=2048" (RSA of at least that size), "ecdsa-p256", "ecdsa-p384",
    /// "ecdsa-p521", "ecdsa" (any of those curves), "ed25519".
    public var allowedKeys: [String]

    public init(
        name: String, validityDays: Int, keyUsage: [String], extendedKeyUsage: [String],
        copySubjectAlternativeNames: [String], keptSubjectAttributes: [String], allowedKeys: [String]
    ) {
        self.name = name
        self.validityDays = validityDays
        self.keyUsage = keyUsage
        self.extendedKeyUsage = extendedKeyUsage
        self.copySubjectAlternativeNames = copySubjectAlternativeNames
        self.keptSubjectAttributes = keptSubjectAttributes
        self.allowedKeys = allowedKeys
    }

    /// A TLS client certificate for a device, valid one year.
    public static let deviceClient = CertificateProfile(
        name: "device",
        validityDays: 365,
        keyUsage: ["digitalSignature"],
        extendedKeyUsage: ["clientAuth"],
        copySubjectAlternativeNames: ["dns", "ip", "uri", "email"],
        keptSubjectAttributes: ["CN", "O", "OU", "serialNumber"],
        allowedKeys: ["rsa>=2048", "ecdsa-p256", "ecdsa-p384", "ed25519"])

    /// A TLS server certificate, valid one year; keyEncipherment serves RSA key transport.
    public static let tlsServer = CertificateProfile(
        name: "tls-server",
        validityDays: 365,
        keyUsage: ["digitalSignature", "keyEncipherment"],
        extendedKeyUsage: ["serverAuth"],
        copySubjectAlternativeNames: ["dns", "ip"],
        keptSubjectAttributes: ["CN", "O"],
        allowedKeys: ["rsa>=2048", "ecdsa", "ed25519"])

    static let subjectAlternativeNameKinds = ["dns", "ip", "uri", "email"]

    /// Checks every field, so a bad profile is reported when it is loaded, not at issuance.
    ///
    /// - Throws: `PKIError.invalidProfile` naming the field and value.
    public func validate() throws {
        guard validityDays > 0 else {
            throw PKIError(.invalidProfile, "profile \(name): validityDays \(validityDays) must be positive")
        }
        for usage in keyUsage where !KeyUsage.names.contains(usage) {
            throw PKIError(.invalidProfile, "profile \(name): keyUsage \"\(usage)\" is unknown; valid: \(KeyUsage.names.joined(separator: ", "))")
        }
        for purpose in extendedKeyUsage {
            OpenSSLErrorQueue.clear()
            guard let object = OBJ_txt2obj(purpose, 0) else {
                throw PKIError(.invalidProfile, "profile \(name): extendedKeyUsage \"\(purpose)\" is not a known name or dotted OID")
            }
            ASN1_OBJECT_free(object)
        }
        for kind in copySubjectAlternativeNames where !Self.subjectAlternativeNameKinds.contains(kind) {
            throw PKIError(.invalidProfile, "profile \(name): subjectAltName kind \"\(kind)\" is unknown; valid: dns, ip, uri, email")
        }
        for type in keptSubjectAttributes {
            do {
                _ = try DistinguishedName.shortName(type)
            } catch {
                throw PKIError(.invalidProfile, "profile \(name): subject attribute \"\(type)\" is unknown")
            }
        }
        for entry in allowedKeys where AllowedKey(entry) == nil {
            throw PKIError(.invalidProfile, "profile \(name): allowed key \"\(entry)\" is invalid; use rsa>=BITS, ecdsa, ecdsa-p256, ecdsa-p384, ecdsa-p521 or ed25519")
        }
    }

    /// Checks `key` against `allowedKeys`.
    ///
    /// - Throws: `PKIError.keyNotAllowed` naming the key, the profile and the allowed keys.
    public func checkKeyAllowed(_ key: PublicKey) throws {
        let algorithm = key.algorithm
        guard allowedKeys.contains(where: { AllowedKey($0)?.accepts(algorithm) == true }) else {
            throw PKIError(
                .keyNotAllowed,
                "key \(algorithm) is not allowed by profile \(name); allowed: \(allowedKeys.joined(separator: ", "))")
        }
    }
}

/// One entry of `CertificateProfile.allowedKeys`.
private enum AllowedKey {
    case rsa(minimumBits: Int)
    case ecdsa(ECCurve?)
    case ed25519

    init?(_ text: String) {
        switch text {
        case "ed25519": self = .ed25519
        case "ecdsa": self = .ecdsa(nil)
        case "ecdsa-p256": self = .ecdsa(.p256)
        case "ecdsa-p384": self = .ecdsa(.p384)
        case "ecdsa-p521": self = .ecdsa(.p521)
        default:
            guard text.hasPrefix("rsa>="), let bits = Int(text.dropFirst(5)), bits >= 1024 else {
                return nil
            }
            self = .rsa(minimumBits: bits)
        }
    }

    func accepts(_ algorithm: KeyAlgorithm) -> Bool {
        switch (self, algorithm) {
        case (.rsa(let minimumBits), .rsa(let bits)): bits >= minimumBits
        case (.ecdsa(nil), .ecdsa): true
        case (.ecdsa(let wanted?), .ecdsa(let curve)): wanted == curve
        case (.ed25519, .ed25519): true
        default: false
        }
    }
}
