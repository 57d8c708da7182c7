import ArgumentParsing
import Foundation
import Store
import Workflows

/// `estgate workflows`: import, validate, publish, scope and read workflow definitions.
enum WorkflowCommands {
    static let definitionArgument = ArgumentSpec.required(
        "definition", help: "Workflow name (its newest version) or numeric definition id")

    static let spec = CommandSpec(
        name: "workflows",
        abstract: "Import, validate, publish, scope and export workflow definitions.",
        subcommands: [
            CommandSpec(
                name: "import",
                abstract: "Validate a definition file and store it as a new workflow or a new version of one.",
                discussion: "A new version starts unpublished and takes over the scope rows of the previous newest version.",
                options: [
                    .value("name", valueName: "NAME", help: "Workflow name (default: the file name without its extension)"),
                    .flag("publish", help: "Publish the imported version and unpublish the other versions of its name"),
                ],
                arguments: [.required("file", help: "JSON definition file")]),
            CommandSpec(
                name: "validate",
                abstract: "Check a definition file without storing it; prints every problem and exits 1 if there is one.",
                arguments: [.required("file", help: "JSON definition file")]),
            CommandSpec(
                name: "list",
                abstract: "List every version of every workflow, newest first.",
                options: [CommonOptions.json]),
            CommandSpec(
                name: "show",
                abstract: "Show a definition's events, steps, publication and where it applies.",
                options: [CommonOptions.json],
                arguments: [definitionArgument]),
            CommandSpec(
                name: "publish",
                abstract: "Publish a version so new requests run it; other versions of its name are unpublished.",
                arguments: [definitionArgument]),
            CommandSpec(
                name: "unpublish",
                abstract: "Stop starting a version for new requests; running instances continue.",
                arguments: [definitionArgument]),
            WorkflowScopeCommands.spec,
            CommandSpec(
                name: "export",
                abstract: "Print a definition's JSON as stored.",
                arguments: [definitionArgument]),
        ])

    static func run(_ parsed: ParsedCommand, context: AdminContext) throws -> Int32 {
        switch parsed.path.dropFirst().first {
        case "import":
            return try importDefinition(parsed, context: context)
        case "validate":
            return try validate(parsed, output: context.output)
        case "list":
            try WorkflowListing.list(parsed, context: context)
        case "show":
            try WorkflowListing.show(parsed, context: context)
        case "publish", "unpublish":
            try setPublished(parsed, context: context)
        case "scope":
            try WorkflowScopeCommands.run(parsed, context: context)
        case "export":
            let definition = try context.store.read { try StoreLookup(session: $0).definition(parsed.argument("definition") ?? "") }
            context.output.write(definition.definition.hasSuffix("\n") ? definition.definition : definition.definition + "\n")
        default:
            // The parser accepts only the subcommands declared in this group's spec.
            preconditionFailure("workflows has no subcommand \(parsed.path)")
        }
        return 0
    }

    /// Prints each problem of the file named by `<file>` to standard error.
    /// - Returns: 0 when the definition is valid, else 1.
    static func validate(_ parsed: ParsedCommand, output: AdminOutput) throws -> Int32 {
        let path = parsed.argument("file") ?? ""
        switch try check(path) {
        case .success(let document):
            let events = document.events.map { "\($0.protocol)/\($0.operation)" }.joined(separator: ", ")
            output.line("\(path) is valid: \(countText(document.steps.count, "step")), events \(events).")
            return 0
        case .failure(let errors):
            report(errors, in: path, output: output)
            return 1
        }
    }

    private static func report(_ errors: DefinitionErrors, in path: String, output: AdminOutput) {
        for error in errors.errors {
            output.errorLine("\(path): \(error)")
        }
    }

    /// Reads and validates a definition file against the built-in step types.
    static func check(_ path: String) throws -> Result<WorkflowDefinitionDocument, DefinitionErrors> {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw AdminError.unreadableFile(path: path, reason: (error as NSError).localizedDescription)
        }
        do {
            return .success(try WorkflowDefinitionDocument.decodeValidated(from: data, executors: BuiltInSteps.executors()))
        } catch let errors as DefinitionErrors {
            return .failure(errors)
        }
    }

    private static func importDefinition(_ parsed: ParsedCommand, context: AdminContext) throws -> Int32 {
        let path = parsed.argument("file") ?? ""
        if case .failure(let errors) = try check(path) {
            report(errors, in: path, output: context.output)
            return 1
        }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let name = parsed.value("name") ?? URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        guard !name.isEmpty else {
            throw parsed.invalidValue(name, for: "name", expected: "a non-empty workflow name")
        }

        let now = context.environment.now()
        let (imported, copiedScopes) = try context.store.transaction { session in
            let previous = try session.listDefinitions().first { $0.name == name }
            let imported = try session.importDefinition(name: name, definition: text, at: now)
            var copied = 0
            if let previous {
                for scope in try session.scopes(definitionID: previous.id) {
                    _ = try session.addScope(WorkflowScopeRecord(
                        definitionID: imported.id, caID: scope.caID, domainID: scope.domainID, deviceID: scope.deviceID))
                    copied += 1
                }
            }
            if parsed.flag("publish") {
                try publish(imported, session: session, at: now)
            }
            return (imported, copied)
        }

        var message = "Imported workflow \(imported.name) version \(imported.version) (id \(imported.id))"
        message += parsed.flag("publish") ? ", published" : ", unpublished"
        if copiedScopes > 0 {
            message += ", with \(countText(copiedScopes, "scope row")) copied from version \(imported.version - 1)"
        }
        context.output.line(message + ".")
        return 0
    }

    /// Publishes `definition` and unpublishes the other versions of its name, so one version of
    /// a workflow runs for new requests.
    static func publish(_ definition: WorkflowDefinitionRecord, session: any StoreSession, at time: Date) throws {
        for other in try session.listDefinitions() where other.name == definition.name && other.published && other.id != definition.id {
            try session.setPublished(definitionID: other.id, false, at: time)
        }
        try session.setPublished(definitionID: definition.id, true, at: time)
    }

    private static func setPublished(_ parsed: ParsedCommand, context: AdminContext) throws {
        let publishing = parsed.path.last == "publish"
        let now = context.environment.now()
        let definition = try context.store.transaction { session in
            let definition = try StoreLookup(session: session).definition(parsed.argument("definition") ?? "")
            if publishing {
                try publish(definition, session: session, at: now)
            } else {
                try session.setPublished(definitionID: definition.id, false, at: now)
            }
            return definition
        }
        let verb = publishing ? "Published" : "Unpublished"
        context.output.line("\(verb) workflow \(definition.name) version \(definition.version) (id \(definition.id)).")
    }
}
