import PKI
import Testing

@Suite("Base64")
struct Base64Tests {
    @Test("encode matches RFC 4648 vectors")
    func encodeVectors() {
        let vectors = ["": "", "f": "Zg==", "fo": "Zm8=", "foo": "Zm9v", "foob": "Zm9vYg==", "fooba": "Zm9vYmE=", "foobar": "Zm9vYmFy"]
        for (plain, encoded) in vectors {
            #expect(Base64.encode(Array(plain.utf8)) == encoded)
        }
    }

    @Test("encode breaks lines at length")
    func encodeLines() {
        let text = Base64.encode([UInt8](repeating: 0xAB, count: 100), lineLength: 64)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].count == 64)
        #expect(lines[1].count == 64)
        #expect(!text.hasSuffix("\n"))
        #expect(Base64.encode([UInt8](repeating: 0xAB, count: 100), lineLength: nil).contains("\n") == false)
    }

    @Test("decode round trips all lengths")
    func roundTrip() throws {
        for length in 0..<70 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            #expect(try Base64.decode(Base64.encode(bytes, lineLength: 7)) == bytes)
        }
    }

    @Test("decode ignores whitespace and missing padding")
    func lenientDecode() throws {
        #expect(try Base64.decode(" Zm9v\r\nYmE\t=\n") == Array("fooba".utf8))
        #expect(try Base64.decode("Zm9vYg") == Array("foob".utf8))
        #expect(try Base64.decode("Zm9vYmE") == Array("fooba".utf8))
        #expect(try Base64.decode("Z m 9 v") == Array("foo".utf8))
    }

    @Test("decode names offset of invalid character")
    func invalidCharacter() throws {
        let text = String(repeating: "QUJD", count: 29) + "%QUJD"
        let error = try #require(throws: PKIError.self) { try Base64.decode(text) }
        #expect(error.code == .invalidBase64)
        #expect(error.message == "base64 decoding failed at byte 116")
    }

    @Test("decode rejects misplaced padding", arguments: [
        ("Zg==Zm8=", 4),
        ("Z===", 1),
        ("=Zm9", 0),
        ("Zm9vY", 5),
    ])
    func misplacedPadding(input: String, offset: Int) throws {
        let error = try #require(throws: PKIError.self) { try Base64.decode(input) }
        #expect(error.message == "base64 decoding failed at byte \(offset)")
    }
}
