import ArgumentParsing
import Foundation
import Store
import Workflows

/// `workflows list` and `workflows show`.
enum WorkflowListing {
    /// One stored version with its scope rows in words.
    struct Entry {
        let record: WorkflowDefinitionRecord
        /// Nil when the stored JSON no longer decodes.
        let document: WorkflowDefinitionDocument?
        let scope: ScopeDescription

        init(_ record: WorkflowDefinitionRecord, session: any StoreSession, names: NameCache) throws {
            self.record = record
            document = try? JSONDecoder().decode(WorkflowDefinitionDocument.self, from: Data(record.definition.utf8))
            scope = try ScopeDescription(scopes: session.scopes(definitionID: record.id), names: names)
        }

        var events: [String] {
            document?.events.map { "\($0.protocol)/\($0.operation)" } ?? []
        }

        var json: JSONOutput {
            .object(jsonMembers)
        }

        var jsonMembers: [(String, JSONOutput)] {
            [
                ("id", .integer(record.id)),
                ("name", .string(record.name)),
                ("version", .integer(record.version)),
                ("published", .bool(record.published)),
                ("events", .array(events.map { .string($0) })),
                ("steps", .integer(document?.steps.count ?? 0)),
                ("applies_to", .string(scope.sentence)),
                ("scopes", .array(scope.rows.map { .string($0) })),
                ("created_at", .time(record.createdAt)),
                ("updated_at", .time(record.updatedAt)),
            ]
        }
    }

    static func list(_ parsed: ParsedCommand, context: AdminContext) throws {
        let entries = try context.store.read { session in
            let names = try NameCache(session: session)
            return try session.listDefinitions().map { try Entry($0, session: session, names: names) }
        }

        if parsed.flag("json") {
            context.printJSON(.array(entries.map(\.json)))
            return
        }
        var table = TextTable(["ID", "NAME", "VERSION", "PUBLISHED", "EVENTS", "STEPS", "APPLIES TO", "UPDATED"])
        for entry in entries {
            table.append([
                String(entry.record.id), entry.record.name, String(entry.record.version),
                entry.record.published ? "yes" : "no", entry.events.joined(separator: ","),
                entry.document.map { String($0.steps.count) } ?? "invalid", entry.scope.summary,
                TimeText.iso8601(entry.record.updatedAt),
            ])
        }
        context.printTable(table)
    }

    static func show(_ parsed: ParsedCommand, context: AdminContext) throws {
        let (entry, versions) = try context.store.read { session in
            let record = try StoreLookup(session: session).definition(parsed.argument("definition") ?? "")
            let versions = try session.listDefinitions().filter { $0.name == record.name }.map(\.version).sorted()
            return (try Entry(record, session: session, names: try NameCache(session: session)), versions)
        }

        if parsed.flag("json") {
            context.printJSON(.object(entry.jsonMembers + [
                ("versions", .array(versions.map { .integer($0) })), ("definition", JSONOutput(storedJSON: entry.record.definition)),
            ]))
            return
        }

        let record = entry.record
        var text = """
            Workflow     \(record.name)
            Version      \(record.version) (id \(record.id); versions \(versions.map(String.init).joined(separator: ", ")))
            Published    \(record.published ? "yes" : "no, so it starts for no new request")
            Scope        \(entry.scope.sentence)
            Events       \(entry.events.isEmpty ? "-" : entry.events.joined(separator: ", "))
            Created      \(TimeText.iso8601(record.createdAt))
            Updated      \(TimeText.iso8601(record.updatedAt))

            Steps

            """
        guard let document = entry.document else {
            context.output.write(text + "  the stored definition is not valid JSON for a workflow\n")
            return
        }
        var table = TextTable(["ID", "TYPE", "TRANSITIONS"])
        for step in document.steps {
            let transitions = (step.transitions ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key) -> \($0.value)" }
            table.append([step.id, step.type, transitions.isEmpty ? "default" : transitions.joined(separator: ", ")])
        }
        text += table.render(usesColor: false, indent: 2)
        context.output.write(text)
    }
}
