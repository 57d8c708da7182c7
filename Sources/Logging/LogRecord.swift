import Foundation

/// One event as the sink receives it, before formatting.
public struct LogRecord: Sendable {
    public var time: Date
    public var level: Logger.Level
    public var label: String
    public var message: String
    public var metadata: Logger.Metadata

    /// Metadata keys whose values are never written, matched case-insensitively as substrings.
    static let secretKeyFragments = ["password", "authorization", "secret", "private", "token", "passphrase"]

    static func isSecret(key: String) -> Bool {
        let lowered = key.lowercased()
        return secretKeyFragments.contains { lowered.contains($0) }
    }

    /// Metadata in key order with secret values replaced, so output is stable and safe.
    var redactedMetadata: [(key: String, value: String)] {
        metadata.keys.sorted().map { key in
            (key, LogRecord.isSecret(key: key) ? "[REDACTED]" : metadata[key] ?? "")
        }
    }
}
