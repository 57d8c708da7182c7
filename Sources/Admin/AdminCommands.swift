import ArgumentParsing
import Foundation
import Logging
import Store
import Workflows

/// The administrator's subcommands of `estgate`: requests, workflows, devices, domains,
/// certificates, `ca list` and the audit trail, all working on the gateway's SQLite database.
public enum AdminCommands {
    /// The database file inside a data directory; the gateway creates it on its first start.
    public static let databaseFileName = "estgate.sqlite"

    /// The top-level command groups this module runs, for the executable's command tree.
    public static let specs: [CommandSpec] = [
        RequestCommands.spec, WorkflowCommands.spec, DeviceCommands.spec, DomainCommands.spec,
        CertificateCommands.spec, AuditCommand.spec,
    ]

    /// `ca list`, for the `ca` group the executable declares.
    public static let caListSpec = CACommands.listSpec

    /// Opens `<dataDirectory>/estgate.sqlite`, runs `parsed` against it with the process's
    /// standard streams, and closes it. `workflows validate` needs no database.
    ///
    /// - Returns: the exit status: 0 on success, 1 when the command found a problem it reported.
    /// - Throws: `UsageError` for invalid option values (exit 2), `AdminError`, `StoreError` or
    ///   `WorkflowError` when the command fails (exit 1).
    public static func run(_ parsed: ParsedCommand, dataDirectory: String) throws -> Int32 {
        let output = AdminOutput.standardStreams()
        let interrupted = SIGINTFlag()
        let environment = AdminEnvironment.process(interrupted: interrupted)
        if parsed.path == ["workflows", "validate"] {
            return try WorkflowCommands.validate(parsed, output: output)
        }

        let path = (dataDirectory as NSString).appendingPathComponent(databaseFileName)
        guard FileManager.default.fileExists(atPath: path) else {
            throw AdminError.databaseMissing(path: path)
        }
        if parsed.path == ["audit"] {
            interrupted.install()
        }

        let store = try SQLiteStore(path: path)
        let status: Int32
        do {
            status = try run(parsed, store: store, output: output, environment: environment)
        } catch {
            try store.close()
            throw error
        }
        try store.close()
        return status
    }

    /// Runs `parsed` against `store`, writing to `output`; the store stays open.
    public static func run(
        _ parsed: ParsedCommand, store: any GatewayStore, output: AdminOutput, environment: AdminEnvironment
    ) throws -> Int32 {
        let context = AdminContext(store: store, output: output, environment: environment)
        switch parsed.path.first {
        case RequestCommands.spec.name:
            return try RequestCommands.run(parsed, context: context)
        case WorkflowCommands.spec.name:
            return try WorkflowCommands.run(parsed, context: context)
        case DeviceCommands.spec.name:
            return try DeviceCommands.run(parsed, context: context)
        case DomainCommands.spec.name:
            return try DomainCommands.run(parsed, context: context)
        case CertificateCommands.spec.name:
            return try CertificateCommands.run(parsed, context: context)
        case AuditCommand.spec.name:
            return try AuditCommand.run(parsed, context: context)
        case "ca":
            return try CACommands.run(parsed, context: context)
        default:
            // Callers route here only the groups of `specs` and `ca list`; anything else is a bug.
            preconditionFailure("no admin command named \(parsed.path.joined(separator: " "))")
        }
    }
}

/// What every admin command works with.
struct AdminContext {
    let store: any GatewayStore
    let output: AdminOutput
    let environment: AdminEnvironment

    /// The engine through which decisions and device events go, so their audit rows are written
    /// in the same transaction as the change.
    var engine: WorkflowEngine {
        WorkflowEngine(
            store: store, executors: BuiltInSteps.executors(), logger: Logger(label: "estgate.admin"),
            clock: environment.now)
    }

    /// Prints `value` as indented JSON.
    func printJSON(_ value: JSONOutput) {
        output.line(value.pretty)
    }

    func printTable(_ table: TextTable) {
        output.write(table.render(usesColor: output.usesColor))
    }
}

/// Options shared by several commands.
enum CommonOptions {
    static let json = OptionSpec.flag("json", help: "Print JSON instead of a table (times in ISO 8601 UTC)")

    /// Rows a listing prints when `--limit` is not given.
    static let defaultLimit = 100

    /// Returns the `--limit N` option, which `ParsedCommand.listLimit()` reads. `help` names what
    /// is limited.
    static func limit(_ help: String) -> OptionSpec {
        .value("limit", valueName: "N", default: String(defaultLimit), help: help + "; 0 for all")
    }
}
