import PKI
import Testing

@Suite("PEM")
struct PEMTests {
    @Test("encode wraps at 64 characters")
    func encode() {
        let pem = PEM.encode(label: "TEST", der: [UInt8](repeating: 1, count: 60))
        let lines = pem.split(separator: "\n")
        #expect(lines.first == "-----BEGIN TEST-----")
        #expect(lines.last == "-----END TEST-----")
        #expect(lines[1].count == 64)
        #expect(pem.hasSuffix("-----END TEST-----\n"))
    }

    @Test("decode reads blocks between text")
    func decodeWithText() throws {
        let text = "intro\n" + PEM.encode(label: "A", der: [1, 2, 3]) + "between\r\n" + PEM.encode(label: "B", der: [4]) + "outro"
        let blocks = try PEM.decode(text)
        #expect(blocks == [PEMBlock(label: "A", der: [1, 2, 3]), PEMBlock(label: "B", der: [4])])
        #expect(try PEM.decode(text, label: "B") == [[4]])
    }

    @Test("decode rejects missing END line")
    func missingEnd() throws {
        let error = try #require(throws: PKIError.self) { try PEM.decode("-----BEGIN A-----\nAQID\n") }
        #expect(error.code == .invalidPEM)
        #expect(error.message == "PEM block \"A\" has no END line")
    }

    @Test("decode rejects mismatched END label")
    func mismatchedEnd() throws {
        let error = try #require(throws: PKIError.self) { try PEM.decode("-----BEGIN A-----\nAQID\n-----END B-----\n") }
        #expect(error.message == "PEM block \"A\" ends with END \"B\"")
    }

    @Test("decode rejects invalid body")
    func invalidBody() throws {
        let error = try #require(throws: PKIError.self) { try PEM.decode("-----BEGIN A-----\nAQ*D\n-----END A-----\n") }
        #expect(error.message == "PEM block \"A\" is not valid base64: base64 decoding failed at byte 2")
    }
}
