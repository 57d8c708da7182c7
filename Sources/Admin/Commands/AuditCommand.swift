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
            .value("since", valueName: "TIME", help: TimeText.sinceHelp("events")),
            CommonOptions.limit("Print the newest N matching events, oldest first"),
            .flag("follow", help: "Keep printing new events as they are written, every 500 ms, until interrupted"),
            .flag("json", help: "Print one JSON object per event and line (times in ISO 8601 UTC)"),
        ])

    /// Events read and printed at a time, so that memory stays bounded however long the trail is.
    static let pageSize = 1000

    static func run(_ parsed: ParsedCommand, context: AdminContext) throws -> Int32 {
        var filter = AuditEventFilter(since: try parsed.since(now: context.environment.now()))
        let limit = try parsed.listLimit()
        try context.store.read { session in
            let lookup = StoreLookup(session: session)
            if let reference = parsed.value("request") {
                filter.requestID = try lookup.request(idPrefix: reference).id
            }
            filter.deviceID = try lookup.device(filteredBy: parsed)?.id
        }

        let printer = AuditPrinter(json: parsed.flag("json"), context: context)
        if let limit {
            // With no match, reading starts after the newest event of the same snapshot.
            let (first, newest) = try context.store.read { session in
                (try session.oldestAuditEventID(amongNewest: limit, matching: filter), try session.newestAuditEventID())
            }
            filter.afterID = first.map { $0 - 1 } ?? newest
        }
        var cursor = try printEvents(filter, limit: limit, printer: printer, context: context)
        guard parsed.flag("follow") else {
            return 0
        }

        while !context.environment.followShouldStop() {
            Thread.sleep(forTimeInterval: Self.seconds(context.environment.followPollInterval))
            var recent = filter
            recent.afterID = cursor
            cursor = try printEvents(recent, limit: nil, printer: printer, context: context) ?? cursor
        }
        return 0
    }

    /// Prints the events after `filter.afterID` page by page, at most `limit` of them, and
    /// returns the id after which the next read continues.
    ///
    /// That id is the last one printed when the limit cut the output short. Otherwise it is at
    /// least the newest id in the trail before the first page: every event up to that id is in
    /// the pages read afterwards, so none that matches is skipped.
    private static func printEvents(
        _ filter: AuditEventFilter, limit: Int?, printer: AuditPrinter, context: AdminContext
    ) throws -> Int64? {
        let newest = try context.store.read { try $0.newestAuditEventID() }
        var page = filter
        var remaining = limit ?? Int.max

        while remaining > 0 {
            let requested = min(pageSize, remaining)
            page.limit = requested
            let events = try context.store.read { try $0.auditEvents(page) }
            try printer.print(events)
            remaining -= events.count
            page.afterID = events.last?.id ?? page.afterID
            if events.count < requested {
                return [page.afterID, newest].compactMap { $0 }.max()
            }
        }
        return page.afterID
    }

    private static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
