import PKI
import Testing

@Suite("DistinguishedName")
struct DistinguishedNameTests {
    @Test("parsing reverses RFC 4514 order")
    func parse() throws {
        let name = try DistinguishedName(parsing: "CN=dev1,O=Example")
        #expect(name.attributes.map(\.type) == ["O", "CN"])
        #expect(name.attributes.map(\.value) == ["Example", "dev1"])
        #expect(name.description == "CN=dev1,O=Example")
        #expect(name == DistinguishedName([("O", "Example"), ("CN", "dev1")]))
    }

    @Test("long names become short names")
    func longNames() throws {
        let name = try DistinguishedName(parsing: "commonName=dev1, organizationName=Example, serialNumber=42")
        #expect(name.description == "CN=dev1,O=Example,serialNumber=42")
        #expect(name.serialNumber == "42")
        #expect(name.commonName == "dev1")
    }

    @Test("escapes round trip")
    func escapes() throws {
        let name = DistinguishedName([("O", "Example, Inc."), ("CN", " #lead+trail ")])
        #expect(name.description == "CN=\\ #lead\\+trail\\ ,O=Example\\, Inc.")
        #expect(try DistinguishedName(parsing: name.description) == name)
        #expect(try DistinguishedName(parsing: "CN=caf\\C3\\A9").commonName == "café")
    }

    @Test("unknown type is rejected")
    func unknownType() throws {
        let error = try #require(throws: PKIError.self) { try DistinguishedName(parsing: "CN=x,Colour=blue") }
        #expect(error.code == .invalidName)
        #expect(error.message == "distinguished name attribute type \"Colour\" is unknown")
    }

    @Test("missing equals is rejected")
    func missingEquals() throws {
        let error = try #require(throws: PKIError.self) { try DistinguishedName(parsing: "CN=x,justtext") }
        #expect(error.message == "distinguished name component \"justtext\" is not type=value")
    }

    @Test("empty name is rejected")
    func empty() throws {
        let error = try #require(throws: PKIError.self) { try DistinguishedName(parsing: " ") }
        #expect(error.message == "distinguished name \" \" is empty")
    }

    @Test("filtered keeps listed types")
    func filtered() throws {
        let name = try DistinguishedName(parsing: "CN=dev1,OU=Devices,O=Example,L=Berlin")
        #expect(name.filtered(keeping: ["CN", "O"]).description == "CN=dev1,O=Example")
    }
}
