import ArgumentParsing
import Foundation

extension ParsedCommand {
    /// Returns `--since` as a time, relative durations counted back from `now`, or nil when absent.
    /// - Throws: `UsageError` naming the value when it is neither a time nor a duration.
    func since(now: Date) throws -> Date? {
        guard let text = value("since") else {
            return nil
        }
        guard let date = TimeText.parseSince(text, now: now) else {
            throw invalidValue(text, for: "since", expected: TimeText.sinceExpectation)
        }
        return date
    }

    /// Returns the `--limit` of a listing (`CommonOptions.limit`), or nil for 0, which lists everything.
    /// - Throws: `UsageError` naming the value when it is not an integer from 0 to 1,000,000.
    func listLimit() throws -> Int? {
        let limit = try integer("limit", range: 0...1_000_000) ?? CommonOptions.defaultLimit
        return limit == 0 ? nil : limit
    }

    /// Returns the value of an option the command cannot run without.
    /// - Throws: `UsageError` saying `missing --name VALUE: <reason>`.
    func requiredValue(_ name: String, valueName: String, reason: String) throws -> String {
        guard let text = value(name) else {
            throw UsageError(
                code: .missingValue, message: "missing --\(name) \(valueName): \(reason)", commandPath: ["estgate"] + path)
        }
        return text
    }
}
