import ArgumentParsing
import Foundation
import PKI
import Store

/// `estgate certs`: the certificates the gateway issued.
enum CertificateCommands {
    static let spec = CommandSpec(
        name: "certs",
        abstract: "List and show issued certificates.",
        subcommands: [
            CommandSpec(
                name: "list",
                abstract: "List issued certificates that have not expired, soonest expiry first.",
                options: [
                    .value("device", valueName: "NAME", help: "Only certificates issued to this device"),
                    .value("domain", valueName: "NAME", help: "Domain of --device, when its name is used in several"),
                    .value("expiring-within", valueName: "DAYS", help: "Only certificates whose notAfter is within DAYS days from now"),
                    .flag("include-expired", help: "Also list certificates whose notAfter has passed"),
                    CommonOptions.limit("Maximum number of certificates listed"),
                    CommonOptions.json,
                ]),
            CommandSpec(
                name: "show",
                abstract: "Show one certificate with its PEM encoding.",
                options: [CommonOptions.json],
                arguments: [.required("serial", help: "Serial number in hex, or a prefix of it that matches one certificate")]),
        ])

    static func run(_ parsed: ParsedCommand, context: AdminContext) throws -> Int32 {
        switch parsed.path.dropFirst().first {
        case "list":
            try list(parsed, context: context)
        case "show":
            try show(parsed, context: context)
        default:
            // The parser accepts only the subcommands declared in this group's spec.
            preconditionFailure("certs has no subcommand \(parsed.path)")
        }
        return 0
    }

    private static func list(_ parsed: ParsedCommand, context: AdminContext) throws {
        let days = try parsed.integer("expiring-within", range: 0...36_500)
        let limit = try parsed.listLimit()
        let now = context.environment.now()
        let rows = try context.store.read { session in
            // Expired certificates sort first, so without this filter they would fill the limit.
            var filter = IssuedCertificateFilter(validAt: parsed.flag("include-expired") ? nil : now, limit: limit)
            filter.deviceID = try StoreLookup(session: session).device(filteredBy: parsed)?.id
            if let days {
                filter.expiringBefore = now.addingTimeInterval(Double(days) * 86400)
            }
            let names = try NameCache(session: session)
            return try session.listIssuedCertificates(filter).map { try CertificateRow($0, names: names) }
        }

        if parsed.flag("json") {
            context.printJSON(.array(rows.map(\.json)))
            return
        }
        var table = TextTable(["SERIAL", "SUBJECT", "DEVICE", "NOT BEFORE", "NOT AFTER", "REQUEST"])
        for row in rows {
            table.append([
                row.certificate.serialNumber, row.certificate.subject, row.device ?? "-",
                TimeText.iso8601(row.certificate.notBefore), TimeText.iso8601(row.certificate.notAfter),
                row.certificate.requestID.map { String($0.prefix(8)) } ?? "-",
            ])
        }
        context.printTable(table)
    }

    private static func show(_ parsed: ParsedCommand, context: AdminContext) throws {
        let typed = parsed.argument("serial") ?? ""
        // `openssl x509 -text` prints serial numbers as colon-separated bytes.
        let serial = typed.replacingOccurrences(of: ":", with: "").lowercased()
        guard !serial.isEmpty, serial.allSatisfy({ $0.isASCII && $0.isHexDigit }) else {
            throw UsageError(
                code: .invalidValue,
                message: "invalid serial number \"\(typed)\": expected hexadecimal digits, optionally separated by colons",
                commandPath: ["estgate"] + parsed.path)
        }

        let row = try context.store.read { session in
            // A whole serial number wins even when it is also the prefix of longer ones.
            if let exact = try session.issuedCertificate(serialNumber: serial) {
                return try CertificateRow(exact, names: try NameCache(session: session))
            }
            let matches = try session.issuedCertificates(serialPrefix: serial, limit: AdminError.listedPrefixMatches)
            guard matches.count <= 1 else {
                throw AdminError.ambiguousSerialPrefix(
                    prefix: typed, matches: matches.map(\.serialNumber),
                    total: try session.countIssuedCertificates(serialPrefix: serial))
            }
            guard let match = matches.first else {
                throw AdminError.notFound(entity: "certificate with serial number", key: typed)
            }
            return try CertificateRow(match, names: try NameCache(session: session))
        }

        let pem = PEM.encode(label: "CERTIFICATE", der: row.certificate.der)
        if parsed.flag("json") {
            context.printJSON(.object(row.jsonMembers + [("pem", .string(pem))]))
            return
        }
        context.output.write("""
            Serial       \(row.certificate.serialNumber)
            Subject      \(row.certificate.subject)
            Device       \(row.device ?? "-")
            Request      \(row.certificate.requestID ?? "-")
            Not before   \(TimeText.iso8601(row.certificate.notBefore))
            Not after    \(TimeText.iso8601(row.certificate.notAfter))
            Issued       \(TimeText.iso8601(row.certificate.createdAt))

            \(pem)
            """)
        if !pem.hasSuffix("\n") {
            context.output.line()
        }
    }
}

/// One issued certificate with the name of its device.
struct CertificateRow {
    let certificate: IssuedCertificateRecord
    let device: String?

    init(_ certificate: IssuedCertificateRecord, names: NameCache) throws {
        self.certificate = certificate
        device = try names.device(certificate.deviceID)
    }

    var json: JSONOutput {
        .object(jsonMembers)
    }

    var jsonMembers: [(String, JSONOutput)] {
        [("id", .integer(certificate.id))] + Self.summaryMembers(certificate) + [("device", .string(device))]
    }

    static func summaryMembers(_ certificate: IssuedCertificateRecord) -> [(String, JSONOutput)] {
        [
            ("serial_number", .string(certificate.serialNumber)),
            ("subject", .string(certificate.subject)),
            ("not_before", .time(certificate.notBefore)),
            ("not_after", .time(certificate.notAfter)),
            ("request_id", .string(certificate.requestID)),
            ("created_at", .time(certificate.createdAt)),
        ]
    }
}
