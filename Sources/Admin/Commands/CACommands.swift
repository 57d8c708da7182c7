import ArgumentParsing
import Store

/// `estgate ca list`: the issuing CAs stored in the database.
enum CACommands {
    static let listSpec = CommandSpec(
        name: "list",
        abstract: "List the issuing CAs in the gateway's database with their certificate files.",
        options: [CommonOptions.json])

    static func run(_ parsed: ParsedCommand, context: AdminContext) throws -> Int32 {
        let cas = try context.store.read { try $0.listCAs() }
        if parsed.flag("json") {
            context.printJSON(.array(cas.map { ca in
                .object([
                    ("id", .integer(ca.id)),
                    ("name", .string(ca.name)),
                    ("certificate_path", .string(ca.certificatePath)),
                    ("chain_path", .string(ca.chainPath)),
                    ("created_at", .time(ca.createdAt)),
                    ("updated_at", .time(ca.updatedAt)),
                ])
            }))
            return 0
        }

        var table = TextTable(["ID", "NAME", "CERTIFICATE", "CHAIN", "CREATED"])
        for ca in cas {
            table.append([String(ca.id), ca.name, ca.certificatePath, ca.chainPath ?? "-", TimeText.iso8601(ca.createdAt)])
        }
        context.printTable(table)
        return 0
    }
}
