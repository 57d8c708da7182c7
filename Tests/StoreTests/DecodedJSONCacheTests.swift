import Foundation
import Store
import Testing

@Suite("DecodedJSONCache")
struct DecodedJSONCacheTests {
    struct Settings: Codable, Equatable {
        var names: [String]
    }

    static func text(_ names: [String]) throws -> String {
        String(decoding: try JSONEncoder().encode(Settings(names: names)), as: UTF8.self)
    }

    @Test("edited text decodes anew")
    func editedText() throws {
        let cache = DecodedJSONCache<Settings>()
        let first = try cache.value(for: Self.text(["device"]))
        let edited = try cache.value(for: Self.text(["server"]))

        #expect(first.names == ["device"])
        #expect(edited.names == ["server"])
        #expect(try cache.value(for: Self.text(["device"])) == first)
        #expect(cache.count == 2)
    }

    @Test("invalid text throws every time")
    func invalidText() {
        let cache = DecodedJSONCache<Settings>()
        #expect(throws: DecodingError.self) { try cache.value(for: "{\"names\": 1}") }
        #expect(throws: DecodingError.self) { try cache.value(for: "{\"names\": 1}") }
        #expect(cache.count == 0)
    }

    @Test("full cache starts over")
    func fullCache() throws {
        let cache = DecodedJSONCache<Settings>(maximumEntries: 2)
        for name in ["device", "server", "router"] {
            _ = try cache.value(for: Self.text([name]))
        }

        #expect(cache.count == 1)
        #expect(try cache.value(for: Self.text(["device"])).names == ["device"])
    }
}
