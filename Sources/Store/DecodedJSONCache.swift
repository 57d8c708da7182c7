import Foundation
import Synchronization

/// Values decoded from stored JSON text, by that text. Domains, devices and workflow definitions
/// keep settings as JSON, and `perf` showed their decoding on every request. Keying by the text
/// keeps an edited row from ever matching an old entry, so nothing needs invalidating.
public final class DecodedJSONCache<Value: Decodable & Sendable>: Sendable {
    private let maximumEntries: Int
    private let values = Mutex<[String: Value]>([:])

    public init(maximumEntries: Int = 256) {
        self.maximumEntries = maximumEntries
    }

    /// Returns the value for `text`, decoding it on first use.
    ///
    /// - Throws: the decoding error; a text that does not decode is not remembered.
    public func value(for text: String) throws -> Value {
        if let cached = values.withLock({ $0[text] }) {
            return cached
        }

        let value = try JSONDecoder().decode(Value.self, from: Data(text.utf8))
        values.withLock { values in
            // Stored settings change rarely; starting over when full keeps this bounded and simple.
            if values.count >= maximumEntries {
                values.removeAll()
            }
            values[text] = value
        }
        return value
    }

    public var count: Int {
        values.withLock { $0.count }
    }
}
