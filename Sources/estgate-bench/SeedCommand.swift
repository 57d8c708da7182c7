import ArgumentParsing
import Foundation

/// The command-line declaration of `estgate-bench seed`, which preloads pending enrollment
/// requests into a gateway's database before a poll benchmark.
enum SeedCommand {
    static let spec = CommandSpec(
        name: "estgate-bench seed",
        abstract: "Preload pending enrollment requests into a gateway's SQLite database.",
        discussion: """
            Each request gets the rows a real first simpleenroll leaves behind when the domain's
            workflows wait for approval: the AwaitingApproval request, one AwaitingApproval
            instance per matching published workflow, and the request.created and
            request.state_changed audit events. All requests share one CSR body but carry distinct
            random fingerprints, so none of them matches a CSR a client sends later.
            Run it while no gateway writes to the database, because it holds the write lock for
            each batch.
            """,
        options: [
            .value("data-dir", valueName: "DIR", help: "Gateway data directory holding estgate.sqlite."),
            .value("pending", valueName: "N", help: "Number of pending requests to add, 1 to 10000000."),
            .value("domain", valueName: "NAME", default: "default", help: "Domain the requests belong to."),
            .value("device", valueName: "NAME", help: "Device the requests belong to (default: the domain's first device)."),
            .value("batch", valueName: "N", default: "50000", help: "Requests written per transaction, 1 to 1000000."),
        ])
}

/// The validated options of `estgate-bench seed`.
struct SeedSettings: Sendable {
    var databasePath: String
    var pending: Int
    var domain: String
    var device: String?
    var batch: Int

    init(_ command: ParsedCommand) throws(UsageError) {
        guard let dataDirectory = command.value("data-dir") else {
            throw Self.usage("missing --data-dir DIR, the gateway data directory")
        }
        databasePath = URL(fileURLWithPath: dataDirectory).appendingPathComponent("estgate.sqlite").path
        guard let pending = try command.integer("pending", range: 1...10_000_000) else {
            throw Self.usage("missing --pending N, the number of pending requests to add")
        }
        self.pending = pending
        domain = command.value("domain") ?? "default"
        device = command.value("device")
        batch = try command.integer("batch", range: 1...1_000_000) ?? 50_000
    }

    private static func usage(_ message: String) -> UsageError {
        UsageError(code: .invalidValue, message: message, commandPath: ["estgate-bench", "seed"])
    }
}
