import PKI
import Testing

@Suite("KeySpec")
struct KeySpecTests {
    @Test("parsing accepts every CLI value")
    func parseValid() throws {
        #expect(try KeySpec(parsing: "rsa2048") == .rsa(bits: 2048))
        #expect(try KeySpec(parsing: "rsa3072") == .rsa(bits: 3072))
        #expect(try KeySpec(parsing: "rsa4096") == .rsa(bits: 4096))
        #expect(try KeySpec(parsing: "p256") == .ecdsa(.p256))
        #expect(try KeySpec(parsing: "p384") == .ecdsa(.p384))
        #expect(try KeySpec(parsing: "P521") == .ecdsa(.p521))
        #expect(try KeySpec(parsing: "ed25519") == .ed25519)
        for name in KeySpec.validNames {
            #expect(try KeySpec(parsing: name).description == name)
        }
    }

    @Test("parsing rejects unknown value")
    func parseInvalid() throws {
        let error = try #require(throws: PKIError.self) { try KeySpec(parsing: "rsa1024") }
        #expect(error.code == .invalidKeySpec)
        #expect(error.message == "key type \"rsa1024\" is not supported; valid values: rsa2048, rsa3072, rsa4096, p256, p384, p521, ed25519")
    }

    @Test("algorithm names and bits")
    func algorithmNames() {
        #expect(KeyAlgorithm.rsa(bits: 3072).name == "rsa")
        #expect(KeyAlgorithm.rsa(bits: 3072).bits == 3072)
        #expect(KeyAlgorithm.ecdsa(curve: .p384).name == "ecdsa")
        #expect(KeyAlgorithm.ecdsa(curve: .p521).bits == 521)
        #expect(KeyAlgorithm.ed25519.name == "ed25519")
        #expect(KeyAlgorithm.ecdsa(curve: .p256).description == "ecdsa p256")
    }
}
