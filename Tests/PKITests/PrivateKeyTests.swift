import Foundation
import PKI
import Testing
import TestSupport

@Suite("PrivateKey")
struct PrivateKeyTests {
    @Test("generate gives requested algorithm", arguments: [
        (KeySpec.rsa(bits: 2048), KeyAlgorithm.rsa(bits: 2048)),
        (.ecdsa(.p256), .ecdsa(curve: .p256)),
        (.ecdsa(.p384), .ecdsa(curve: .p384)),
        (.ecdsa(.p521), .ecdsa(curve: .p521)),
        (.ed25519, .ed25519),
    ])
    func generate(spec: KeySpec, algorithm: KeyAlgorithm) throws {
        let key = try PrivateKey.generate(spec)
        #expect(key.publicKey.algorithm == algorithm)
    }

    @Test("generate rejects unsupported RSA size")
    func generateInvalidSize() throws {
        let error = try #require(throws: PKIError.self) { try PrivateKey.generate(.rsa(bits: 1024)) }
        #expect(error.code == .invalidKeySpec)
        #expect(error.message == "RSA key size 1024 is not supported; valid sizes: 2048, 3072, 4096")
    }

    @Test("PKCS#8 DER and PEM round trip")
    func roundTrip() throws {
        let key = try PrivateKey.generate(.ecdsa(.p256))
        #expect(try PrivateKey(pkcs8DER: key.pkcs8DER).publicKey == key.publicKey)
        #expect(try PrivateKey(pemEncoded: key.pkcs8PEM()).publicKey == key.publicKey)
        let encrypted = try key.pkcs8PEM(passphrase: "correct horse")
        #expect(encrypted.contains("BEGIN ENCRYPTED PRIVATE KEY"))
        #expect(try PrivateKey(pemEncoded: encrypted, passphrase: "correct horse").publicKey == key.publicKey)
    }

    @Test("encrypted PEM rejects wrong passphrase")
    func wrongPassphrase() throws {
        let encrypted = try PrivateKey.generate(.ed25519).pkcs8PEM(passphrase: "right")
        for passphrase in ["wrong", nil] {
            let error = try #require(throws: PKIError.self) { try PrivateKey(pemEncoded: encrypted, passphrase: passphrase) }
            #expect(error.code == .invalidPrivateKey)
            #expect(error.message == "decrypting the private key failed; the passphrase is wrong or missing")
        }
    }

    @Test("invalid PEM and DER rejected")
    func invalidInput() throws {
        let pemError = try #require(throws: PKIError.self) { try PrivateKey(pemEncoded: "-----BEGIN PRIVATE KEY-----\nAQID\n-----END PRIVATE KEY-----\n") }
        #expect(pemError.message == "private key PEM is invalid")
        let derError = try #require(throws: PKIError.self) { try PrivateKey(pkcs8DER: [0x30, 0x03, 0x02, 0x01, 0x00]) }
        #expect(derError.message == "private key is not a DER PKCS#8 PrivateKeyInfo")
    }

    @Test("write creates 0600 file openssl reads")
    func writeFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let key = try PrivateKey.generate(.ecdsa(.p384))
        let path = directory.file("device.key")

        try key.write(toPath: path)

        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let result = try ProcessRunner.check("openssl", ["pkey", "-in", path, "-pubout", "-outform", "DER"])
        #expect(result.standardOutput == key.publicKey.subjectPublicKeyInfoDER)
    }

    @Test("write narrows existing file mode")
    func writeExistingFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("device.key")
        #expect(FileManager.default.createFile(atPath: path, contents: Data("old".utf8), attributes: [.posixPermissions: 0o644]))

        try PrivateKey.generate(.ed25519).write(toPath: path, passphrase: "secret")

        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        try ProcessRunner.check("openssl", ["pkey", "-in", path, "-passin", "pass:secret", "-noout"])
    }

    @Test("reads keys written by openssl", arguments: ["RSA", "EC", "ED25519"])
    func readOpenSSLKey(algorithm: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("key.pem")
        var arguments = ["genpkey", "-algorithm", algorithm, "-out", path]
        if algorithm == "EC" {
            arguments += ["-pkeyopt", "ec_paramgen_curve:P-256"]
        }
        try ProcessRunner.check("openssl", arguments)
        let publicDER = try ProcessRunner.check("openssl", ["pkey", "-in", path, "-pubout", "-outform", "DER"]).standardOutput

        let key = try PrivateKey(path: path)

        #expect(key.publicKey.subjectPublicKeyInfoDER == publicDER)
    }
}
