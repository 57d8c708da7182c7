import Foundation
import PKI
import Testing

@Suite("CertificateProfile")
struct CertificateProfileTests {
    @Test("allowed keys pass the default profile", arguments: [KeySpec.rsa(bits: 2048), .rsa(bits: 3072), .ecdsa(.p256), .ecdsa(.p384), .ed25519])
    func allowedKeys(spec: KeySpec) throws {
        try CertificateProfile.deviceClient.checkKeyAllowed(PrivateKey.generate(spec).publicKey)
    }

    @Test("P-521 fails the default profile")
    func disallowedCurve() throws {
        let key = try PrivateKey.generate(.ecdsa(.p521)).publicKey
        let error = try #require(throws: PKIError.self) { try CertificateProfile.deviceClient.checkKeyAllowed(key) }
        #expect(error.code == .keyNotAllowed)
        #expect(error.message == "key ecdsa p521 is not allowed by profile device; allowed: rsa>=2048, ecdsa-p256, ecdsa-p384, ed25519")
    }

    @Test("RSA minimum size is enforced")
    func rsaMinimum() throws {
        var profile = CertificateProfile.deviceClient
        profile.allowedKeys = ["rsa>=3072"]
        let error = try #require(throws: PKIError.self) { try profile.checkKeyAllowed(PrivateKey.generate(.rsa(bits: 2048)).publicKey) }
        #expect(error.message == "key rsa 2048 is not allowed by profile device; allowed: rsa>=3072")
    }

    @Test("validate names bad field", arguments: [
        ("keyUsage", ["digitalSignature", "signEverything"], "profile device: keyUsage \"signEverything\" is unknown; valid: digitalSignature, nonRepudiation, keyEncipherment, dataEncipherment, keyAgreement, keyCertSign, cRLSign, encipherOnly, decipherOnly"),
        ("extendedKeyUsage", ["clientAuth", "notAPurpose"], "profile device: extendedKeyUsage \"notAPurpose\" is not a known name or dotted OID"),
        ("copySubjectAlternativeNames", ["dns", "dirname"], "profile device: subjectAltName kind \"dirname\" is unknown; valid: dns, ip, uri, email"),
        ("keptSubjectAttributes", ["CN", "Colour"], "profile device: subject attribute \"Colour\" is unknown"),
        ("allowedKeys", ["rsa>=512"], "profile device: allowed key \"rsa>=512\" is invalid; use rsa>=BITS, ecdsa, ecdsa-p256, ecdsa-p384, ecdsa-p521 or ed25519"),
    ])
    func validate(field: String, value: [String], message: String) throws {
        var profile = CertificateProfile.deviceClient
        switch field {
        case "keyUsage": profile.keyUsage = value
        case "extendedKeyUsage": profile.extendedKeyUsage = value
        case "copySubjectAlternativeNames": profile.copySubjectAlternativeNames = value
        case "keptSubjectAttributes": profile.keptSubjectAttributes = value
        default: profile.allowedKeys = value
        }
        let error = try #require(throws: PKIError.self) { try profile.validate() }
        #expect(error.code == .invalidProfile)
        #expect(error.message == message)
    }

    @Test("validate rejects zero validity")
    func zeroValidity() throws {
        var profile = CertificateProfile.deviceClient
        profile.validityDays = 0
        let error = try #require(throws: PKIError.self) { try profile.validate() }
        #expect(error.message == "profile device: validityDays 0 must be positive")
    }

    @Test("built-in profiles are valid and codable")
    func codable() throws {
        for profile in [CertificateProfile.deviceClient, .tlsServer] {
            try profile.validate()
            let data = try JSONEncoder().encode(profile)
            #expect(try JSONDecoder().decode(CertificateProfile.self, from: data) == profile)
        }
    }
}
