import COpenSSL
import Foundation
import Testing
import TestSupport

@testable import PKI

/// One key type for `openssl req`: how to make the key and what the gateway must read from it.
struct OpenSSLRequestCase: CustomTestStringConvertible, Sendable {
    let name: String
    /// openssl invocations that leave the private key in "KEY"; "TMP" names a scratch file.
    let keyCommands: [[String]]
    let requestOptions: [String]
    let algorithm: KeyAlgorithm
    /// Whether the key is built from its parts rather than by d2i_PUBKEY.
    let standardForm: Bool

    var testDescription: String { name }

    static let all: [OpenSSLRequestCase] = [
        OpenSSLRequestCase(
            name: "rsa2048", keyCommands: [["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "KEY"]],
            requestOptions: [], algorithm: .rsa(bits: 2048), standardForm: true),
        OpenSSLRequestCase(
            name: "rsa2048 with PSS signature",
            keyCommands: [["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "KEY"]],
            requestOptions: ["-sha256", "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:32"],
            algorithm: .rsa(bits: 2048), standardForm: true),
        OpenSSLRequestCase(
            name: "p256", keyCommands: [["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "KEY"]],
            requestOptions: [], algorithm: .ecdsa(curve: .p256), standardForm: true),
        OpenSSLRequestCase(
            name: "p384", keyCommands: [["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", "KEY"]],
            requestOptions: ["-sha384"], algorithm: .ecdsa(curve: .p384), standardForm: true),
        OpenSSLRequestCase(
            name: "ed25519", keyCommands: [["genpkey", "-algorithm", "ED25519", "-out", "KEY"]],
            requestOptions: [], algorithm: .ed25519, standardForm: true),
        OpenSSLRequestCase(
            name: "p256 compressed point",
            keyCommands: [
                ["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "TMP"],
                ["ec", "-in", "TMP", "-conv_form", "compressed", "-out", "KEY"],
            ],
            requestOptions: [], algorithm: .ecdsa(curve: .p256), standardForm: true),
        // OpenSSL 3.0 recognizes the explicit parameters as prime256v1 and keeps them explicit.
        OpenSSLRequestCase(
            name: "p256 explicit parameters",
            keyCommands: [["ecparam", "-name", "prime256v1", "-param_enc", "explicit", "-genkey", "-noout", "-out", "KEY"]],
            requestOptions: [], algorithm: .ecdsa(curve: .p256), standardForm: false),
    ]

    /// Ed448, which the gateway reads but no built-in profile allows.
    static let ed448 = OpenSSLRequestCase(
        name: "ed448", keyCommands: [["genpkey", "-algorithm", "ED448", "-out", "KEY"]],
        requestOptions: [], algorithm: .other(name: "ed448", bits: 456), standardForm: true)
}

/// A key and its CSR made by the openssl CLI in a temporary directory.
struct OpenSSLRequest {
    let directory: TemporaryDirectory
    let csrPath: String
    let csr: CertificateSigningRequest

    init(_ recipe: OpenSSLRequestCase, subject: String = "/O=Example/CN=device-1") throws {
        directory = try TemporaryDirectory(prefix: "csr-decoding")
        let keyPath = directory.file("key.pem")
        let scratchPath = directory.file("scratch.pem")
        for command in recipe.keyCommands {
            let arguments = command.map { argument in
                switch argument {
                case "KEY": keyPath
                case "TMP": scratchPath
                default: argument
                }
            }
            try ProcessRunner.check("openssl", arguments)
        }
        csrPath = directory.file("csr.der")
        try ProcessRunner.check(
            "openssl", ["req", "-new", "-key", keyPath, "-subj", subject, "-outform", "DER", "-out", csrPath] + recipe.requestOptions)
        csr = try CertificateSigningRequest(derEncoded: Array(try Data(contentsOf: URL(fileURLWithPath: csrPath))))
    }

    /// Returns the SubjectPublicKeyInfo as `openssl req -pubkey` writes it, converted to DER.
    func opensslPublicKey() throws -> [UInt8] {
        let pemPath = directory.file("csr-key.pem")
        try ProcessRunner.check("openssl", ["req", "-inform", "DER", "-in", csrPath, "-pubkey", "-noout", "-out", pemPath])
        return try ProcessRunner.check("openssl", ["pkey", "-pubin", "-in", pemPath, "-outform", "DER"]).standardOutput
    }

    /// Returns the SubjectPublicKeyInfo of `certificate` as `openssl x509 -pubkey` writes it, converted to DER.
    func opensslPublicKey(of certificate: Certificate) throws -> [UInt8] {
        let certificatePath = try certificate.pemEncoded.write(in: directory, as: "certificate.pem")
        let pemPath = directory.file("certificate-key.pem")
        try ProcessRunner.check("openssl", ["x509", "-in", certificatePath, "-pubkey", "-noout", "-out", pemPath])
        return try ProcessRunner.check("openssl", ["pkey", "-pubin", "-in", pemPath, "-outform", "DER"]).standardOutput
    }
}

@Suite("CSR decoding")
struct CSRDecodingTests {
    @Test("openssl request parses and verifies", arguments: OpenSSLRequestCase.all + [.ed448])
    func opensslRequest(recipe: OpenSSLRequestCase) throws {
        let request = try OpenSSLRequest(recipe)
        defer { request.directory.remove() }
        let csr = request.csr

        try csr.verifySignature()
        #expect(csr.keyAlgorithmIsStandardForm == recipe.standardForm)
        #expect(csr.subject.description == "CN=device-1,O=Example")
        let publicKey = try csr.publicKey
        #expect(publicKey.algorithm == recipe.algorithm)
        #expect(publicKey.subjectPublicKeyInfoDER == (try request.opensslPublicKey()))
    }

    @Test("standard key is built from its parts", arguments: OpenSSLRequestCase.all + [.ed448])
    func builtFromParts(recipe: OpenSSLRequestCase) throws {
        let request = try OpenSSLRequest(recipe)
        defer { request.directory.remove() }
        let keyInfo = request.csr.layout.subjectPublicKeyInfo
        let algorithm = try decodeAlgorithmIdentifier(keyInfo.algorithm, part: "subjectPublicKeyInfo algorithm")
        defer { X509_ALGOR_free(algorithm) }

        let built = keyInfo.buildFromParts(algorithm: algorithm)
        defer { built.map { EVP_PKEY_free($0) } }

        #expect((built != nil) == recipe.standardForm)
    }

    @Test("key equals the d2i_PUBKEY key", arguments: OpenSSLRequestCase.all + [.ed448])
    func keyMatchesDecoder(recipe: OpenSSLRequestCase) throws {
        let request = try OpenSSLRequest(recipe)
        defer { request.directory.remove() }

        let decoded = try PublicKey(subjectPublicKeyInfoDER: Array(request.csr.subjectPublicKeyInfoDER))
        let built = try request.csr.publicKey

        #expect(EVP_PKEY_eq(built.pkey, decoded.pkey) == 1)
        #expect(built.algorithm == decoded.algorithm)
        // i2d_PUBKEY of the built key gives the bytes received, point form included.
        let encoded = try encodeDER("public key") { i2d_PUBKEY(built.pkey, $0) }
        #expect(encoded == decoded.subjectPublicKeyInfoDER)
    }

    @Test("issued certificate has the request key", arguments: OpenSSLRequestCase.all)
    func issuedKey(recipe: OpenSSLRequestCase) throws {
        let request = try OpenSSLRequest(recipe)
        defer { request.directory.remove() }
        let pki = try TestPKI()

        let certificate = try pki.issuing.issue(csr: request.csr, profile: .deviceClient, now: TestPKI.now)

        #expect(try request.opensslPublicKey(of: certificate) == (try request.opensslPublicKey()))
        #expect(certificate.matchesPublicKey(of: request.csr))
        try certificate.verifySignature(issuer: pki.issuing.certificate)
    }

    @Test("tampered info fails verification", arguments: OpenSSLRequestCase.all + [.ed448])
    func tamperedInfo(recipe: OpenSSLRequestCase) throws {
        let request = try OpenSSLRequest(recipe)
        defer { request.directory.remove() }
        var der = request.csr.derEncoded
        // "device-1" in the subject becomes "device-2": still DER, but not the bytes signed.
        let index = try #require(Self.firstIndex(of: Array("device-1".utf8), in: der))
        der[index + 7] = UInt8(ascii: "2")

        let tampered = try CertificateSigningRequest(derEncoded: der)

        #expect(tampered.subject.commonName == "device-2")
        let error = try #require(throws: PKIError.self) { try tampered.verifySignature() }
        #expect(error.code == .signatureInvalid)
    }

    @Test("tampered signature fails verification", arguments: OpenSSLRequestCase.all + [.ed448])
    func tamperedSignature(recipe: OpenSSLRequestCase) throws {
        let request = try OpenSSLRequest(recipe)
        defer { request.directory.remove() }
        var der = request.csr.derEncoded
        // The last byte belongs to the signature: the last octet of s for ECDSA.
        der[der.count - 1] ^= 0x01

        let tampered = try CertificateSigningRequest(derEncoded: der)

        let error = try #require(throws: PKIError.self) { try tampered.verifySignature() }
        #expect(error.code == .signatureInvalid)
        #expect(error.message == "CSR signature does not verify with its public key")
    }

    static func firstIndex(of needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else {
            return nil
        }
        return (0...(bytes.count - needle.count)).first { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
