import ArgumentParsing
import Foundation
import Store
import Workflows

/// `estgate audit`: the append-only history of requests, step runs, decisions and device
/// events, oldest first. There is deliberately no command that changes it.
enum AuditCommand {
    static let spec = CommandSpec(
        name: "audit",
        abstract: "Print the audit trail in time order: who decided what, when, for which device and request.",
        discussion: "With --json each event is one JSON object on its own line (JSON Lines), also while following.",
        options: [
            .value("request", valueName: "ID", help: "Only events of this request (id or unique prefix)"),
            .value("device", valueName: "NAME", help: "Only events of this device"),
            .value("domain", valueName: "NAME", help: "Domain of --device, when its name is used in several"),
            .value("since", valueName: "TIME", help: "Only events at or after TIME (ISO 8601, or 30m, 12h, 7d ago)"),
            .flag("follow", help: "Keep printing new events as they are written, every 500 ms, until interrupted"),
            .flag("json", help: "Print one JSON object per event and line (times in ISO 8601 UTC)"),
        ])

    /// How far back each poll of `--follow` reads, so that an event whose time is slightly older
    /// than the newest one printed (written by another process) is still seen; ids remove repeats.
    static let followOverlap: TimeInterval = 10

    static func run(_ parsed: ParsedCommand, context: AdminContext) throws -> Int32 {
        var filter = AuditEventFilter(since: try parsed.since(now: context.environment.now()))
        try context.store.read { session in
            let lookup = StoreLookup(session: session)
            if let reference = parsed.value("request") {
                filter.requestID = try requestID(reference, lookup: lookup)
            }
            if let deviceName = parsed.value("device") {
                filter.deviceID = try lookup.device(named: deviceName, domainName: parsed.value("domain")).id
            }
        }

        let printer = AuditPrinter(json: parsed.flag("json"), context: context)
        var events = try read(filter, context: context)
        try printer.print(events)
        guard parsed.flag("follow") else {
            return 0
        }

        var last = events.last
        while !context.environment.followShouldStop() {
            Thread.sleep(forTimeInterval: Self.seconds(context.environment.followPollInterval))
            var recent = filter
            if let last {
                recent.since = max(filter.since ?? .distantPast, last.time.addingTimeInterval(-followOverlap))
            }
            events = try read(recent, context: context).filter { $0.id > (last?.id ?? 0) }
            try printer.print(events)
            last = events.last ?? last
        }
        return 0
    }

    private static func read(_ filter: AuditEventFilter, context: AdminContext) throws -> [AuditEventRecord] {
        try context.store.read { try $0.auditEvents(filter) }
    }

    /// An enrollment request id or unique prefix, else a device request's full id.
    private static func requestID(_ reference: String, lookup: StoreLookup) throws -> String {
        do {
            return try lookup.enrollmentRequest(idPrefix: reference).id
        } catch AdminError.notFound {
            guard let deviceRequest = try lookup.session.deviceRequest(id: reference) else {
                throw AdminError.notFound(entity: "request", key: reference)
            }
            return deviceRequest.id
        }
    }

    private static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
