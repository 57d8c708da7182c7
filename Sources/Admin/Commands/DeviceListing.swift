import ArgumentParsing
import Foundation
import Store

/// `devices list` and `devices show`.
enum DeviceListing {
    static func list(_ parsed: ParsedCommand, context: AdminContext) throws {
        let rows = try context.store.read { session in
            let domainID = try parsed.value("domain").map { try StoreLookup(session: session).domain(named: $0).id }
            let names = try NameCache(session: session)
            return try session.listDevices(domainID: domainID).map { ($0, names.domain($0.domainID) ?? "-") }
        }

        if parsed.flag("json") {
            context.printJSON(.array(rows.map { json($0.0, domain: $0.1) }))
            return
        }
        var table = TextTable(["ID", "NAME", "DOMAIN", "SERIAL", "STATUS", "PASSWORD", "ATTRIBUTES", "CREATED"])
        for (device, domain) in rows {
            table.append([
                String(device.id), device.name, domain, device.serialNumber ?? "-", device.status.rawValue,
                device.credentialHash == nil ? "none" : "set", attributesText(device.attributes),
                TimeText.iso8601(device.createdAt),
            ])
        }
        context.printTable(table)
    }

    static func show(_ parsed: ParsedCommand, context: AdminContext) throws {
        let (device, domain, certificates, events) = try context.store.read { session in
            let device = try StoreLookup(session: session).device(
                named: parsed.argument("name") ?? "", domainName: parsed.value("domain"))
            let names = try NameCache(session: session)
            let certificates = try session.listIssuedCertificates(IssuedCertificateFilter(deviceID: device.id))
                .map { try CertificateRow($0, names: names) }
            return (
                device, names.domain(device.domainID) ?? "-", certificates,
                try session.listDeviceRequests(deviceID: device.id)
            )
        }

        if parsed.flag("json") {
            context.printJSON(.object(jsonMembers(device, domain: domain) + [
                ("certificates", .array(certificates.map(\.json))),
                ("device_requests", .array(events.map(json(deviceRequest:)))),
            ]))
            return
        }

        var text = """
            Device       \(device.name) (id \(device.id))
            Domain       \(domain)
            Serial       \(device.serialNumber ?? "-")
            Status       \(device.status.rawValue)
            Password     \(device.credentialHash == nil ? "none" : "set")
            Attributes   \(attributesText(device.attributes))
            Created      \(TimeText.iso8601(device.createdAt))
            Updated      \(TimeText.iso8601(device.updatedAt))

            Certificates

            """
        if certificates.isEmpty {
            text += "  none issued\n"
        } else {
            var table = TextTable(["SERIAL", "SUBJECT", "NOT AFTER", "REQUEST"])
            for row in certificates {
                table.append([
                    row.certificate.serialNumber, row.certificate.subject, TimeText.iso8601(row.certificate.notAfter),
                    row.certificate.requestID.map { String($0.prefix(8)) } ?? "-",
                ])
            }
            text += table.render(usesColor: false, indent: 2)
        }

        text += "\nLifecycle events\n"
        if events.isEmpty {
            text += "  none\n"
            context.output.write(text)
            return
        }
        context.output.write(text)
        var table = TextTable(["REQUEST", "ACTION", "STATE", "CREATED"])
        for event in events {
            table.append([
                .init(String(event.id.prefix(8))), .init(event.action.rawValue), StateText.cell(event.aggregatedState),
                .init(TimeText.iso8601(event.createdAt)),
            ])
        }
        context.output.write(table.render(usesColor: context.output.usesColor, indent: 2))
    }

    static func json(_ device: DeviceRecord, domain: String) -> JSONOutput {
        .object(jsonMembers(device, domain: domain))
    }

    static func jsonMembers(_ device: DeviceRecord, domain: String) -> [(String, JSONOutput)] {
        [
            ("id", .integer(device.id)),
            ("name", .string(device.name)),
            ("domain", .string(domain)),
            ("serial_number", .string(device.serialNumber)),
            ("status", .string(device.status.rawValue)),
            ("has_password", .bool(device.credentialHash != nil)),
            ("attributes", .object(device.attributes.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ("created_at", .time(device.createdAt)),
            ("updated_at", .time(device.updatedAt)),
        ]
    }

    static func json(deviceRequest request: DeviceRequestRecord) -> JSONOutput {
        .object(jsonMembers(deviceRequest: request))
    }

    static func jsonMembers(deviceRequest request: DeviceRequestRecord) -> [(String, JSONOutput)] {
        [
            ("id", .string(request.id)),
            ("action", .string(request.action.rawValue)),
            ("state", .string(request.aggregatedState)),
            ("finalized", .bool(request.finalized)),
            ("created_at", .time(request.createdAt)),
            ("updated_at", .time(request.updatedAt)),
        ]
    }

    static func attributesText(_ attributes: [String: String]) -> String {
        attributes.isEmpty ? "-" : attributes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }
}
