import PKI
import Testing

@Suite("Digest")
struct DigestTests {
    @Test("sha256 matches FIPS 180-2 vectors")
    func sha256Vectors() {
        #expect(Digest.sha256(Array("abc".utf8)).hexString == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Digest.sha256([]).hexString == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test("hexString is lowercase two digits")
    func hexString() {
        #expect([0x00, 0x0F, 0xA0, 0xFF].hexString == "000fa0ff")
    }
}
