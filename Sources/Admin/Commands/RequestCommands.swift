import ArgumentParsing
import Foundation
import Store
import Workflows

/// `estgate requests`: list, inspect and decide enrollment requests.
enum RequestCommands {
    static let decisionOptions: [OptionSpec] = [
        .value("comment", valueName: "TEXT", help: "Comment recorded with the decision in the audit trail"),
        .value("by", valueName: "NAME", help: "Administrator recorded as the actor (default: $USER, else admin)"),
    ]
    static let idArgument = ArgumentSpec.required("id", help: "Request id, or a prefix of it that matches one request")

    static let spec = CommandSpec(
        name: "requests",
        abstract: "List, inspect and decide enrollment requests, and show and decide device requests.",
        subcommands: [
            CommandSpec(
                name: "list",
                abstract: "List enrollment requests, newest first.",
                options: [
                    .value("state", valueName: "STATE", help: "Only requests in this state, such as AwaitingApproval"),
                    .value("domain", valueName: "NAME", help: "Only requests of this domain"),
                    .value("device", valueName: "NAME", help: "Only requests of this device"),
                    .value("since", valueName: "TIME", help: TimeText.sinceHelp("requests created")),
                    CommonOptions.limit("Maximum number of requests listed"),
                    CommonOptions.json,
                ]),
            CommandSpec(
                name: "show",
                abstract: "Show a request: identity, CSR, workflow instances, step runs and certificate (no CSR or certificate for a device request).",
                options: [CommonOptions.json],
                arguments: [idArgument]),
            CommandSpec(
                name: "approve",
                abstract: "Approve the workflow steps of a request that await approval.",
                discussion: "Each instance passes to its next step; after its last approval step it is Approved.",
                options: decisionOptions,
                arguments: [idArgument]),
            CommandSpec(
                name: "reject",
                abstract: "Reject a request that awaits approval; for an enrollment request the device is refused for this CSR.",
                options: decisionOptions,
                arguments: [idArgument]),
            CommandSpec(
                name: "abort",
                abstract: "Abort an open enrollment request and every unfinished workflow instance of it.",
                options: decisionOptions,
                arguments: [idArgument]),
        ])

    static func run(_ parsed: ParsedCommand, context: AdminContext) throws -> Int32 {
        switch parsed.path.dropFirst().first {
        case "list":
            try list(parsed, context: context)
        case "show":
            try RequestDetail.show(parsed, context: context)
        case "approve", "reject", "abort":
            try decide(parsed, context: context)
        default:
            // The parser accepts only the subcommands declared in this group's spec.
            preconditionFailure("requests has no subcommand \(parsed.path)")
        }
        return 0
    }

    // MARK: list

    private static func list(_ parsed: ParsedCommand, context: AdminContext) throws {
        let state = try parsed.value("state").map { try canonicalState($0, parsed: parsed) }
        let since = try parsed.since(now: context.environment.now())
        let limit = try parsed.listLimit()

        let rows = try context.store.read { session in
            let lookup = StoreLookup(session: session)
            var filter = EnrollmentRequestFilter(state: state, since: since, limit: limit)
            if let domainName = parsed.value("domain") {
                filter.domainID = try lookup.domain(named: domainName).id
            }
            if let deviceName = parsed.value("device") {
                filter.deviceID = try lookup.device(named: deviceName, domainName: parsed.value("domain")).id
            }
            let names = try NameCache(session: session)
            return try session.listEnrollmentRequests(filter).map { try RequestRow($0, names: names) }
        }

        if parsed.flag("json") {
            context.printJSON(.array(rows.map(\.json)))
            return
        }
        var table = TextTable(["ID", "STATE", "DEVICE", "DOMAIN", "CA", "OPERATION", "TEMPLATE", "FINGERPRINT", "CREATED"])
        for row in rows {
            table.append([
                .init(String(row.request.id.prefix(8))), StateText.cell(row.request.aggregatedState),
                .init(row.device ?? "-"), .init(row.domain), .init(row.ca), .init(row.request.operation),
                .init(row.request.template), .init(String(row.request.fingerprint.prefix(16))),
                .init(TimeText.iso8601(row.request.createdAt)),
            ])
        }
        context.printTable(table)
    }

    /// The state string as stored, matched case-insensitively against the known states.
    static func canonicalState(_ text: String, parsed: ParsedCommand) throws -> String {
        guard let state = State.allCases.first(where: { $0.rawValue.lowercased() == text.lowercased() }) else {
            throw parsed.invalidValue(
                text, for: "state", expected: State.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return state.rawValue
    }

    // MARK: approve, reject, abort

    private static func decide(_ parsed: ParsedCommand, context: AdminContext) throws {
        let reference = parsed.argument("id") ?? ""
        let found = try context.store.read { try StoreLookup(session: $0).request(idPrefix: reference) }
        let actor = context.environment.actor(given: parsed.value("by"))
        let comment = parsed.value("comment")

        let request: EnrollmentRequestRecord
        switch found {
        case .enrollment(let enrollment):
            request = enrollment
        case .device(let deviceRequest):
            try decide(deviceRequest, parsed: parsed, actor: actor, comment: comment, context: context)
            return
        }

        let status: EnrollmentStatus
        switch parsed.path.last {
        case "approve":
            status = try context.engine.approve(requestID: request.id, actor: actor, comment: comment)
        case "reject":
            status = try context.engine.reject(requestID: request.id, actor: actor, comment: comment)
        default:
            guard !request.finalized else {
                throw AdminError.requestFinalized(id: request.id, state: request.aggregatedState)
            }
            status = try context.engine.abort(requestID: request.id, actor: actor, comment: comment)
        }
        context.output.line(
            "\(pastTense(parsed)) request \(request.id) as \(actor); its state is now \(status.state.rawValue).")
    }

    /// Returns "Approved", "Rejected" or "Aborted" for the decision command that ran.
    private static func pastTense(_ parsed: ParsedCommand) -> String {
        switch parsed.path.last {
        case "approve": "Approved"
        case "reject": "Rejected"
        default: "Aborted"
        }
    }

    /// Decides the instances of a device request that a workflow keeps waiting for approval. A device
    /// request records an event that already happened, so it has nothing to abort.
    private static func decide(
        _ request: DeviceRequestRecord, parsed: ParsedCommand, actor: String, comment: String?, context: AdminContext
    ) throws {
        let status: DeviceRequestStatus
        switch parsed.path.last {
        case "approve":
            status = try context.engine.approve(deviceRequestID: request.id, actor: actor, comment: comment)
        case "reject":
            status = try context.engine.reject(deviceRequestID: request.id, actor: actor, comment: comment)
        default:
            throw AdminError.deviceRequestNotAbortable(id: request.id)
        }

        let device = try context.store.read { try NameCache(session: $0).device(request.deviceID) } ?? "-"
        context.output.line(
            "\(pastTense(parsed)) device request \(request.id) (\(request.action.rawValue) event of device \(device)) as \(actor); "
                + "its state is now \(status.state.rawValue)\(status.finalized ? " (finalized)" : "").")
    }
}

/// One enrollment request with the names of its CA, domain and device.
struct RequestRow {
    let request: EnrollmentRequestRecord
    let ca: String
    let domain: String
    let device: String?

    init(_ request: EnrollmentRequestRecord, names: NameCache) throws {
        self.request = request
        ca = names.ca(request.caID) ?? "-"
        domain = names.domain(request.domainID) ?? "-"
        device = try names.device(request.deviceID)
    }

    var json: JSONOutput {
        .object(jsonMembers)
    }

    var jsonMembers: [(String, JSONOutput)] {
        [
            ("id", .string(request.id)),
            ("state", .string(request.aggregatedState)),
            ("finalized", .bool(request.finalized)),
            ("protocol", .string(request.protocolName)),
            ("operation", .string(request.operation)),
            ("ca", .string(ca)),
            ("domain", .string(domain)),
            ("device", .string(device)),
            ("fingerprint", .string(request.fingerprint)),
            ("template", .string(request.template)),
            ("reason", .string(request.reason)),
            ("created_at", .time(request.createdAt)),
            ("updated_at", .time(request.updatedAt)),
        ]
    }
}
