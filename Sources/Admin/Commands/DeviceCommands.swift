import ArgumentParsing
import Foundation
import PKI
import Store
import Workflows

/// `estgate devices`: the devices allowed to enroll and their HTTP Basic passwords.
enum DeviceCommands {
    static let domainOption = OptionSpec.value(
        "domain", valueName: "NAME", help: "Domain of the device; needed when its name is used in several")
    static let nameArgument = ArgumentSpec.required("name", help: "Device name, unique within its domain")

    static let spec = CommandSpec(
        name: "devices",
        abstract: "Add, list, show and delete devices and set their passwords.",
        subcommands: [
            CommandSpec(
                name: "add",
                abstract: "Add a device to a domain and raise its created event.",
                options: [
                    .value("domain", valueName: "NAME", help: "Domain the device enrolls in (required)"),
                    .value("serial", valueName: "SERIAL", help: "Device serial number, as in its IDevID certificate"),
                    .flag("password-stdin", help: "Read the HTTP Basic password from standard input; one trailing newline is removed"),
                    .repeatable("attribute", valueName: "KEY=VALUE", help: "Device attribute that Condition steps can test"),
                ],
                arguments: [nameArgument]),
            CommandSpec(
                name: "list",
                abstract: "List devices, deleted ones included.",
                options: [.value("domain", valueName: "NAME", help: "Only devices of this domain"), CommonOptions.json]),
            CommandSpec(
                name: "show",
                abstract: "Show a device with its certificates and lifecycle events.",
                options: [domainOption, CommonOptions.json],
                arguments: [nameArgument]),
            CommandSpec(
                name: "delete",
                abstract: "Mark a device deleted, remove its password and raise its deleted event; its history stays.",
                options: [domainOption],
                arguments: [nameArgument]),
            CommandSpec(
                name: "set-password",
                abstract: "Set a device's HTTP Basic password from standard input; one trailing newline is removed.",
                options: [domainOption],
                arguments: [nameArgument]),
        ])

    static func run(_ parsed: ParsedCommand, context: AdminContext) throws -> Int32 {
        switch parsed.path.dropFirst().first {
        case "add":
            try add(parsed, context: context)
        case "list":
            try DeviceListing.list(parsed, context: context)
        case "show":
            try DeviceListing.show(parsed, context: context)
        case "delete":
            try delete(parsed, context: context)
        case "set-password":
            try setPassword(parsed, context: context)
        default:
            // The parser accepts only the subcommands declared in this group's spec.
            preconditionFailure("devices has no subcommand \(parsed.path)")
        }
        return 0
    }

    private static func add(_ parsed: ParsedCommand, context: AdminContext) throws {
        let name = parsed.argument("name") ?? ""
        let domainName = try parsed.requiredValue("domain", valueName: "NAME", reason: "a device is added to one domain")
        let attributes = try parseAttributes(parsed)
        let credentialHash = try parsed.flag("password-stdin") ? PasswordHash.make(readPassword(context)) : nil
        let now = context.environment.now()

        let (device, domain) = try context.store.transaction { session in
            let domain = try StoreLookup(session: session).domain(named: domainName)
            if try session.device(named: name, domainID: domain.id) != nil {
                throw AdminError.alreadyExists(entity: "device", key: "\(name)\" in domain \"\(domainName)")
            }
            let device = try session.insertDevice(DeviceRecord(
                name: name, serialNumber: parsed.value("serial"), domainID: domain.id, credentialHash: credentialHash,
                attributes: attributes, createdAt: now, updatedAt: now))
            return (device, domain)
        }

        let status = try raiseEvent(.created, device: device, domain: domain, context: context)
        context.output.line("Added device \(name) (id \(device.id)) to domain \(domainName).")
        context.output.line("Device request \(status.requestID) for the created event is \(status.state.rawValue).")
    }

    private static func delete(_ parsed: ParsedCommand, context: AdminContext) throws {
        let now = context.environment.now()
        let (device, domain) = try context.store.transaction { session in
            let lookup = StoreLookup(session: session)
            var device = try lookup.device(named: parsed.argument("name") ?? "", domainName: parsed.value("domain"))
            let domain = try session.domain(id: device.domainID)
            guard device.status == .active else {
                throw AdminError.deviceDeleted(name: device.name, domain: domain?.name ?? "#\(device.domainID)")
            }
            device.status = .deleted
            device.credentialHash = nil
            device.updatedAt = now
            try session.updateDevice(device)
            return (device, domain)
        }

        let status = try raiseEvent(.deleted, device: device, domain: domain, context: context)
        context.output.line("Deleted device \(device.name) (id \(device.id)); its certificates and history are kept.")
        context.output.line("Device request \(status.requestID) for the deleted event is \(status.state.rawValue).")
    }

    private static func setPassword(_ parsed: ParsedCommand, context: AdminContext) throws {
        let credentialHash = try PasswordHash.make(readPassword(context))
        let actor = context.environment.actor(given: nil)
        let now = context.environment.now()

        let device = try context.store.transaction { session in
            var device = try StoreLookup(session: session).device(
                named: parsed.argument("name") ?? "", domainName: parsed.value("domain"))
            guard device.status == .active else {
                let domainName = try session.domain(id: device.domainID)?.name ?? "#\(device.domainID)"
                throw AdminError.deviceDeleted(name: device.name, domain: domainName)
            }
            device.credentialHash = credentialHash
            device.updatedAt = now
            try session.updateDevice(device)
            _ = try session.appendAuditEvent(AuditEventRecord(
                time: now, event: "device.password_set", deviceID: device.id, domainID: device.domainID, actor: actor))
            return device
        }
        context.output.line("Set the password of device \(device.name) (id \(device.id)).")
    }

    /// Raises a device lifecycle event through the engine, which records it in the audit trail
    /// and starts the workflows whose events include it.
    private static func raiseEvent(
        _ action: DeviceAction, device: DeviceRecord, domain: DomainRecord?, context: AdminContext
    ) throws -> DeviceRequestStatus {
        let actor = context.environment.actor(given: nil)
        return try context.engine.raiseDeviceEvent(
            deviceID: device.id, domainID: device.domainID, caID: domain?.caID, action: action,
            payload: .object(["name": .string(device.name), "registration": .string("admin"), "actor": .string(actor)]),
            actor: actor)
    }

    /// The password on standard input without one trailing newline (`\n` or `\r\n`).
    static func readPassword(_ context: AdminContext) throws -> String {
        var bytes = context.environment.readStandardInput()
        if bytes.last == UInt8(ascii: "\n") {
            bytes.removeLast()
            if bytes.last == UInt8(ascii: "\r") {
                bytes.removeLast()
            }
        }
        guard !bytes.isEmpty else {
            throw AdminError.emptyPassword
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func parseAttributes(_ parsed: ParsedCommand) throws -> [String: String] {
        var attributes: [String: String] = [:]
        for text in parsed.values("attribute") {
            guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
                throw parsed.invalidValue(text, for: "attribute", expected: "KEY=VALUE with a non-empty KEY")
            }
            attributes[String(text[..<equals])] = String(text[text.index(after: equals)...])
        }
        return attributes
    }
}
