import Foundation
import Testing

@testable import Workflows

@Suite("DecodedDefinitions")
struct DecodedDefinitionsTests {
    static func text(_ operations: [String]) throws -> String {
        let document = WorkflowDefinitionDocument(
            events: operations.map { WorkflowEvent(protocol: "est", operation: $0) }, steps: [])
        return String(decoding: try JSONEncoder().encode(document), as: UTF8.self)
    }

    @Test("edited text decodes anew")
    func editedText() throws {
        let definitions = DecodedDefinitions()
        let first = try definitions.document(for: Self.text(["simpleenroll"]))
        let edited = try definitions.document(for: Self.text(["simplereenroll"]))

        #expect(first.events.map(\.operation) == ["simpleenroll"])
        #expect(edited.events.map(\.operation) == ["simplereenroll"])
        #expect(try definitions.document(for: Self.text(["simpleenroll"])) == first)
    }

    @Test("invalid text throws every time")
    func invalidText() {
        let definitions = DecodedDefinitions()
        #expect(throws: DecodingError.self) { try definitions.document(for: "{\"events\": 1}") }
        #expect(throws: DecodingError.self) { try definitions.document(for: "{\"events\": 1}") }
    }

    @Test("full cache starts over")
    func fullCache() throws {
        let definitions = DecodedDefinitions(maximumEntries: 2)
        for operation in ["simpleenroll", "simplereenroll", "serverkeygen"] {
            _ = try definitions.document(for: Self.text([operation]))
        }

        #expect(definitions.count == 1)
        #expect(try definitions.document(for: Self.text(["simpleenroll"])).events.map(\.operation) == ["simpleenroll"])
    }
}
