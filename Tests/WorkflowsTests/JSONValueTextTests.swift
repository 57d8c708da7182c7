import Foundation
import Testing

@testable import Workflows

@Suite("JSONValue text")
struct JSONValueTextTests {
    static let values: [JSONValue] = [
        .null, .bool(true), .bool(false), .number(0), .number(-0.0), .number(-1), .number(42),
        .number(1e15), .number(9_007_199_254_740_992), .number(-9_007_199_254_740_992),
        .string(""), .string("plain"), .string("quote \" backslash \\ slash /"),
        .string("line\nfeed\rreturn\ttab\u{8}back\u{C}feed"), .string("\u{0}\u{1}\u{1F}\u{7F}"),
        .string("ümlaut 証明書 🔐"), .array([]), .object([:]),
        .array([.number(1), .string("two"), .null, .array([.bool(true)])]),
        .object([
            "b": .number(1), "a": .number(2), "B": .number(3), "10": .number(4), "9": .number(5), "_x": .number(6),
            "é": .number(7), "Z": .number(8), "aa": .object(["z": .null, "y": .array([])]),
        ]),
        .object(["e\u{301}": .number(1), "f": .number(2), "\u{E9}t\u{E9}": .number(3)]),
    ]

    @Test("text equals JSONEncoder output", arguments: values.indices)
    func equalsEncoder(index: Int) {
        let value = Self.values[index]

        #expect(value.jsonText == value.encoderText)
    }

    @Test("fraction falls back to JSONEncoder")
    func fraction() {
        let value: JSONValue = .object(["ratio": .number(1.5), "list": .array([.number(0.1)])])

        #expect(value.jsonText == value.encoderText)
        #expect(value.jsonText.contains("1.5"))
    }

    @Test("text parses back to the value")
    func roundTrip() throws {
        for value in Self.values {
            #expect(try JSONValue.parse("{\"v\":\(value.jsonText)}") == .object(["v": value]))
        }
    }
}
