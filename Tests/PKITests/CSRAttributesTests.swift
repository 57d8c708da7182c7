import Foundation
import PKI
import Testing
import TestSupport

@Suite("CSRAttributes")
struct CSRAttributesTests {
    @Test("encode matches openssl asn1parse")
    func encode() throws {
        let der = try CSRAttributes.encode(oids: ["challengePassword", "1.2.840.10045.4.3.3", "serialNumber"])

        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("attrs.der")
        try Data(der).write(to: URL(fileURLWithPath: path))
        let output = try ProcessRunner.check("openssl", ["asn1parse", "-inform", "DER", "-in", path]).output

        let lines = output.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[0].hasSuffix("cons: SEQUENCE          "))
        #expect(lines[1].hasSuffix(":challengePassword"))
        #expect(lines[2].hasSuffix(":ecdsa-with-SHA384"))
        #expect(lines[3].hasSuffix(":serialNumber"))
    }

    @Test("empty list is empty sequence")
    func empty() throws {
        #expect(try CSRAttributes.encode(oids: []) == [0x30, 0x00])
    }

    @Test("long list uses long length form")
    func longForm() throws {
        let der = try CSRAttributes.encode(oids: Array(repeating: "1.2.840.113549.1.9.7", count: 20))
        #expect(Array(der.prefix(3)) == [0x30, 0x81, 0xDC])
        #expect(der.count == 3 + 220)
    }

    @Test("unknown name is rejected")
    func unknown() throws {
        let error = try #require(throws: PKIError.self) { try CSRAttributes.encode(oids: ["challengePassword", "favouriteColour"]) }
        #expect(error.code == .invalidOID)
        #expect(error.message == "CSR attribute \"favouriteColour\" is not a dotted OID or a known OID name")
    }
}
