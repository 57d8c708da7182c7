import Foundation
import Synchronization

/// Workflow definition documents decoded from their stored JSON, by that JSON text. Every new
/// request looks at every published definition, and `perf` showed their decoding on every
/// enroll. Keying by the text keeps an edited definition from ever matching an old entry.
final class DecodedDefinitions: Sendable {
    private let maximumEntries: Int
    private let documents = Mutex<[String: WorkflowDefinitionDocument]>([:])

    init(maximumEntries: Int = 256) {
        self.maximumEntries = maximumEntries
    }

    /// Returns the document for `text`, decoding it on first use.
    ///
    /// - Throws: the decoding error; a text that does not decode is not remembered.
    func document(for text: String) throws -> WorkflowDefinitionDocument {
        if let cached = documents.withLock({ $0[text] }) {
            return cached
        }

        let document = try JSONDecoder().decode(WorkflowDefinitionDocument.self, from: Data(text.utf8))
        documents.withLock { documents in
            // Definitions change rarely; starting over when full keeps this bounded and simple.
            if documents.count >= maximumEntries {
                documents.removeAll()
            }
            documents[text] = document
        }
        return document
    }

    var count: Int {
        documents.withLock { $0.count }
    }
}
