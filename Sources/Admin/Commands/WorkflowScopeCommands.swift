import ArgumentParsing
import Store

/// `workflows scope add|remove`: where a definition applies.
enum WorkflowScopeCommands {
    static let scopeOptions: [OptionSpec] = [
        .value("ca", valueName: "NAME", help: "Only requests to this CA (default: any CA)"),
        .value("domain", valueName: "NAME", help: "Only requests in this domain (default: any domain)"),
        .value("device", valueName: "NAME", help: "Only requests of this device (default: any device)"),
    ]

    static let spec = CommandSpec(
        name: "scope",
        abstract: "Add or remove the CA, domain and device a definition applies to.",
        subcommands: [
            CommandSpec(
                name: "add",
                abstract: "Add a scope row; a definition with scope rows applies where any one of them matches.",
                options: scopeOptions,
                arguments: [WorkflowCommands.definitionArgument]),
            CommandSpec(
                name: "remove",
                abstract: "Remove the scope row with exactly these CA, domain and device; with none left it applies everywhere.",
                options: scopeOptions,
                arguments: [WorkflowCommands.definitionArgument]),
        ])

    static func run(_ parsed: ParsedCommand, context: AdminContext) throws {
        let caName = parsed.value("ca")
        let domainName = parsed.value("domain")
        let deviceName = parsed.value("device")
        guard caName != nil || domainName != nil || deviceName != nil else {
            throw UsageError(
                code: .missingValue, message: "give at least one of --ca, --domain and --device",
                commandPath: ["estgate"] + parsed.path)
        }
        let adding = parsed.path.last == "add"

        let (definition, description) = try context.store.transaction { session in
            let lookup = StoreLookup(session: session)
            let definition = try lookup.definition(parsed.argument("definition") ?? "")
            let device = try deviceName.map { try lookup.device(named: $0, domainName: domainName) }
            let scope = WorkflowScopeRecord(
                definitionID: definition.id,
                caID: try caName.map { try lookup.ca(named: $0).id },
                domainID: try domainName.map { try lookup.domain(named: $0).id },
                deviceID: device?.id)
            let description = ScopeDescription.phrase(ca: caName, domain: domainName, device: deviceName)

            if adding {
                do {
                    _ = try session.addScope(scope)
                } catch StoreError.uniqueConstraint {
                    throw AdminError.alreadyExists(entity: "scope of workflow \(definition.name)", key: description)
                }
            } else {
                let existing = try session.scopes(definitionID: definition.id).first {
                    $0.caID == scope.caID && $0.domainID == scope.domainID && $0.deviceID == scope.deviceID
                }
                guard let existing else {
                    throw AdminError.scopeNotFound(definition: definition.name, scope: description)
                }
                try session.removeScope(id: existing.id)
            }
            let remaining = try ScopeDescription(scopes: session.scopes(definitionID: definition.id), names: NameCache(session: session))
            return (definition, remaining.sentence)
        }

        let verb = adding ? "Added" : "Removed"
        context.output.line(
            "\(verb) the scope of workflow \(definition.name) version \(definition.version); it now \(description).")
    }
}
