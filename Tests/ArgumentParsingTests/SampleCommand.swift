import ArgumentParsing

/// A command tree shaped like a gateway CLI, shared by the parsing and help tests.
enum SampleCommand {
    static let serve = CommandSpec(
        name: "serve",
        abstract: "Run the gateway until SIGTERM.",
        options: [
            .repeatable("listen", valueName: "HOST:PORT", help: "Address to accept TLS connections on."),
            .value("workers", valueName: "N", default: "4", help: "Number of request threads."),
            .value("drain-timeout", valueName: "SECONDS", default: "10", help: "Time to finish in-flight requests on SIGTERM."),
        ])

    static let list = CommandSpec(
        name: "list",
        abstract: "List enrollment requests.",
        options: [
            .flag("json", help: "Print one JSON object per request."),
            .value("limit", valueName: "N", default: "100", help: "Maximum number of requests to list."),
            .value("state", valueName: "STATE", help: "Only list requests in this state."),
        ])

    static let approve = CommandSpec(
        name: "approve",
        abstract: "Approve a pending enrollment request.",
        discussion: "The request passes to its next approval step, or is issued after the last one.",
        options: [
            .value("by", valueName: "NAME", help: "Administrator recorded as the approver."),
        ],
        arguments: [
            .required("id", help: "Enrollment request id."),
            .optional("comment", help: "Text stored with the approval in the audit trail."),
        ])

    static let requests = CommandSpec(
        name: "requests",
        abstract: "Review and decide enrollment requests.",
        subcommands: [list, approve])

    static let root = CommandSpec(
        name: "estgate",
        abstract: "An EST enrollment gateway with approval workflows.",
        options: [
            .value("data-dir", short: "d", valueName: "DIR", default: "./estgate-data", help: "Directory holding the database and CA keys."),
            .flag("verbose", short: "v", help: "Log debug messages to stderr."),
        ],
        subcommands: [serve, requests])

    /// Parses and expects a command, failing the test on help or error.
    static func command(_ arguments: [String]) throws -> ParsedCommand {
        guard case .command(let command) = try root.parse(arguments) else {
            throw SampleCommandError.unexpectedHelp
        }
        return command
    }

    /// Parses and returns the usage error, or nil when parsing succeeded.
    static func usageError(_ arguments: [String]) -> UsageError? {
        do {
            _ = try root.parse(arguments)
            return nil
        } catch {
            return error
        }
    }
}

enum SampleCommandError: Error {
    case unexpectedHelp
}
