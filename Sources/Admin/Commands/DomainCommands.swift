import ArgumentParsing
import Foundation
import PKI
import Store

/// `estgate domains`: EST labels with their CA, authentication and retry settings.
enum DomainCommands {
    static let settingOptions: [OptionSpec] = [
        .value("auth", valueName: "MODE", help: "Device authentication: \(authModes) (default: certificate-or-basic)"),
        .value("retry-after", valueName: "SECONDS", help: "Retry-After sent while a request waits for a person (default: 60)"),
        .value("automatic-retry-after", valueName: "SECONDS", help: "Retry-After while only automatic steps are pending (default: 5)"),
        .repeatable("profile", valueName: "NAME", help: "Certificate profile requests in this domain may use"),
        .value("default-profile", valueName: "NAME", help: "Profile used when the request names none (default: the first --profile)"),
        .value("trust-anchors", valueName: "FILE", help: "PEM file of CA certificates that verify device client certificates"),
    ]
    static let authModes = AuthenticationMode.allCases.map(\.rawValue).joined(separator: ", ")

    static let spec = CommandSpec(
        name: "domains",
        abstract: "Add, list, show and change EST domains.",
        subcommands: [
            CommandSpec(
                name: "add",
                abstract: "Add a domain, served at /.well-known/est/NAME/.",
                options: [.value("ca", valueName: "NAME", help: "CA that issues the domain's certificates (required)")] + settingOptions,
                arguments: [.required("name", help: "Domain name, the label in the EST path")]),
            CommandSpec(
                name: "list",
                abstract: "List domains.",
                options: [CommonOptions.json]),
            CommandSpec(
                name: "show",
                abstract: "Show a domain's settings.",
                options: [CommonOptions.json],
                arguments: [.required("name", help: "Domain name")]),
            CommandSpec(
                name: "set",
                abstract: "Change a domain's settings; options not given keep their value.",
                options: [.value("ca", valueName: "NAME", help: "CA that issues the domain's certificates")] + settingOptions,
                arguments: [.required("name", help: "Domain name")]),
        ])

    static func run(_ parsed: ParsedCommand, context: AdminContext) throws -> Int32 {
        switch parsed.path.dropFirst().first {
        case "add", "set":
            try save(parsed, context: context)
        case "list":
            try list(parsed, context: context)
        case "show":
            try show(parsed, context: context)
        default:
            // The parser accepts only the subcommands declared in this group's spec.
            preconditionFailure("domains has no subcommand \(parsed.path)")
        }
        return 0
    }

    private static func save(_ parsed: ParsedCommand, context: AdminContext) throws {
        let name = parsed.argument("name") ?? ""
        let adding = parsed.path.last == "add"
        if adding {
            _ = try parsed.requiredValue("ca", valueName: "NAME", reason: "a domain needs the CA that issues its certificates")
        }
        let authMode = try parsed.value("auth").map { text in
            guard let mode = AuthenticationMode(rawValue: text) else {
                throw parsed.invalidValue(text, for: "auth", expected: authModes)
            }
            return mode
        }
        let retryAfter = try parsed.integer("retry-after", range: 1...86_400)
        let automaticRetryAfter = try parsed.integer("automatic-retry-after", range: 1...86_400)
        let trustAnchors = try parsed.value("trust-anchors").map(readTrustAnchors)
        let now = context.environment.now()

        let domain = try context.store.transaction { session in
            let lookup = StoreLookup(session: session)
            var domain: DomainRecord
            if adding {
                if try session.domain(named: name) != nil {
                    throw AdminError.alreadyExists(entity: "domain", key: name)
                }
                domain = DomainRecord(name: name, caID: 0, createdAt: now)
            } else {
                domain = try lookup.domain(named: name)
            }

            if let caName = parsed.value("ca") {
                domain.caID = try lookup.ca(named: caName).id
            }
            domain.authMode = authMode ?? domain.authMode
            domain.retryAfterSeconds = retryAfter ?? domain.retryAfterSeconds
            domain.automaticRetryAfterSeconds = automaticRetryAfter ?? domain.automaticRetryAfterSeconds
            domain.trustAnchorsPEM = trustAnchors ?? domain.trustAnchorsPEM
            let profiles = parsed.values("profile")
            if !profiles.isEmpty {
                domain.profiles = profiles
            }
            domain.defaultProfile = parsed.value("default-profile") ?? domain.defaultProfile ?? domain.profiles.first
            try checkProfiles([domain.defaultProfile].compactMap { $0 } + domain.profiles, session: session)
            domain.updatedAt = now

            if adding {
                return try session.insertDomain(domain)
            }
            try session.updateDomain(domain)
            return domain
        }
        context.output.line("\(adding ? "Added" : "Updated") domain \(domain.name) (id \(domain.id)).")
    }

    private static func checkProfiles(_ names: [String], session: any StoreSession) throws {
        for name in names where try session.profile(named: name) == nil {
            throw AdminError.unknownProfile(name: name, known: try session.listProfiles().map(\.name).sorted())
        }
    }

    private static func readTrustAnchors(_ path: String) throws -> String {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw AdminError.unreadableFile(path: path, reason: (error as NSError).localizedDescription)
        }
        do {
            guard !(try Certificate.certificates(fromPEM: text)).isEmpty else {
                throw AdminError.unreadableFile(path: path, reason: "it contains no PEM certificate")
            }
        } catch let error as PKIError {
            throw AdminError.unreadableFile(path: path, reason: error.description)
        }
        return text
    }

    private static func list(_ parsed: ParsedCommand, context: AdminContext) throws {
        let rows = try context.store.read { session in
            let names = try NameCache(session: session)
            return try session.listDomains().map { ($0, names.ca($0.caID) ?? "-") }
        }

        if parsed.flag("json") {
            context.printJSON(.array(rows.map { .object(jsonMembers($0.0, ca: $0.1)) }))
            return
        }
        var table = TextTable(["ID", "NAME", "CA", "AUTH", "RETRY AFTER", "PROFILES", "UPDATED"])
        for (domain, ca) in rows {
            table.append([
                String(domain.id), domain.name, ca, domain.authMode.rawValue,
                "\(domain.retryAfterSeconds)s/\(domain.automaticRetryAfterSeconds)s",
                domain.profiles.isEmpty ? "-" : domain.profiles.joined(separator: ","), TimeText.iso8601(domain.updatedAt),
            ])
        }
        context.printTable(table)
    }

    private static func show(_ parsed: ParsedCommand, context: AdminContext) throws {
        let (domain, ca) = try context.store.read { session in
            let domain = try StoreLookup(session: session).domain(named: parsed.argument("name") ?? "")
            return (domain, try NameCache(session: session).ca(domain.caID) ?? "-")
        }

        if parsed.flag("json") {
            context.printJSON(.object(jsonMembers(domain, ca: ca)))
            return
        }
        let anchors = (try? Certificate.certificates(fromPEM: domain.trustAnchorsPEM ?? "")) ?? []
        context.output.write("""
            Domain                 \(domain.name) (id \(domain.id))
            CA                     \(ca)
            Authentication         \(domain.authMode.rawValue)
            Trust anchors          \(anchors.isEmpty ? "-" : anchors.map(\.subject.description).joined(separator: "; "))
            Retry-After            \(domain.retryAfterSeconds) s waiting for a person, \(domain.automaticRetryAfterSeconds) s for automatic steps
            Profiles               \(domain.profiles.isEmpty ? "-" : domain.profiles.joined(separator: ", "))
            Default profile        \(domain.defaultProfile ?? "-")
            CSR attributes         \(domain.csrAttributes.isEmpty ? "-" : domain.csrAttributes.joined(separator: ", "))
            Channel binding        \(domain.channelBindingRequired ? "required" : "not required")
            Auto-register devices  \(domain.autoRegisterDevices ? "yes" : "no")
            Created                \(TimeText.iso8601(domain.createdAt))
            Updated                \(TimeText.iso8601(domain.updatedAt))

            """)
    }

    static func jsonMembers(_ domain: DomainRecord, ca: String) -> [(String, JSONOutput)] {
        [
            ("id", .integer(domain.id)),
            ("name", .string(domain.name)),
            ("ca", .string(ca)),
            ("auth", .string(domain.authMode.rawValue)),
            ("retry_after_seconds", .integer(domain.retryAfterSeconds)),
            ("automatic_retry_after_seconds", .integer(domain.automaticRetryAfterSeconds)),
            ("profiles", .array(domain.profiles.map { .string($0) })),
            ("default_profile", .string(domain.defaultProfile)),
            ("csr_attributes", .array(domain.csrAttributes.map { .string($0) })),
            ("channel_binding_required", .bool(domain.channelBindingRequired)),
            ("auto_register_devices", .bool(domain.autoRegisterDevices)),
            ("has_trust_anchors", .bool(domain.trustAnchorsPEM != nil)),
            ("created_at", .time(domain.createdAt)),
            ("updated_at", .time(domain.updatedAt)),
        ]
    }
}
