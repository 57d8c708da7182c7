import COpenSSL

/// The keyUsage bits of RFC 5280 section 4.2.1.3 by name, in the names OpenSSL's configuration
/// syntax also accepts.
enum KeyUsage {
    static let bits: [(name: String, bit: UInt32)] = [
        ("digitalSignature", UInt32(KU_DIGITAL_SIGNATURE)),
        ("nonRepudiation", UInt32(KU_NON_REPUDIATION)),
        ("keyEncipherment", UInt32(KU_KEY_ENCIPHERMENT)),
        ("dataEncipherment", UInt32(KU_DATA_ENCIPHERMENT)),
        ("keyAgreement", UInt32(KU_KEY_AGREEMENT)),
        ("keyCertSign", UInt32(KU_KEY_CERT_SIGN)),
        ("cRLSign", UInt32(KU_CRL_SIGN)),
        ("encipherOnly", UInt32(KU_ENCIPHER_ONLY)),
        ("decipherOnly", UInt32(KU_DECIPHER_ONLY)),
    ]

    static var names: [String] {
        bits.map(\.name)
    }

    static func names(ofBits value: UInt32) -> [String] {
        bits.filter { value & $0.bit != 0 }.map(\.name)
    }
}
