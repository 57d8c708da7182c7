import Admin
import ArgumentParsing
import Foundation
import TestSupport
import Testing

@Suite("admin command line")
struct AdminCommandLineTests {
    /// Returns every command path below the root, groups included.
    private static func paths(_ command: CommandSpec, prefix: [String] = []) -> [[String]] {
        command.subcommands.flatMap { sub in [prefix + [sub.name]] + paths(sub, prefix: prefix + [sub.name]) }
    }

    @Test("help on every level")
    func helpEverywhere() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }

        for path in Self.paths(AdminFixture.root) {
            let result = try fixture.run(path + ["--help"])
            #expect(result.output.hasPrefix("USAGE: estgate \(path.joined(separator: " "))"), "\(path)")
            #expect(result.output.contains("  -h, --help"), "\(path)")
            #expect(result.output.contains("--data-dir DIR"), "\(path)")
        }
    }

    @Test("every option has help text")
    func optionHelp() {
        func check(_ command: CommandSpec) {
            for option in command.options {
                #expect(!option.help.isEmpty, "--\(option.name) of \(command.name)")
            }
            #expect(!command.abstract.isEmpty, "\(command.name)")
            command.subcommands.forEach(check)
        }
        AdminCommands.specs.forEach(check)
        check(AdminCommands.caListSpec)
    }

    @Test("list help shows options with units")
    func listHelp() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }

        let help = try fixture.run(["requests", "list", "-h"]).output

        #expect(help.contains("  --state STATE"))
        #expect(help.contains("Only requests created at or after TIME: an ISO 8601 time with a zone, a UTC date, or a duration"))
        #expect(help.contains("Maximum number of requests listed; 0 for all (default: 100)"))
        #expect(help.contains("  --json"))
    }

    @Test("unknown subcommand is a usage error")
    func unknownSubcommand() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }

        let error = try #require(fixture.usageError(["requests", "approveall"]))

        #expect(error.code == .unknownSubcommand)
        #expect(error.message == "unknown subcommand \"approveall\" for estgate requests "
            + "(expected one of: list, show, approve, reject, abort)")
        #expect(fixture.usageError(["audit", "--folow"])?.message == "unknown option --folow (did you mean --follow?)")
    }

    @Test("data dir after subcommand")
    func dataDirAfterSubcommand() throws {
        let parsed = try AdminFixture.root.parse(["requests", "list", "--json", "--data-dir", "/tmp/x"])
        guard case .command(let command) = parsed else {
            Issue.record("expected a command")
            return
        }
        #expect(command.value("data-dir") == "/tmp/x")
        #expect(command.path == ["requests", "list"])
    }

    @Test("missing database names path")
    func missingDatabase() throws {
        let directory = try TemporaryDirectory(prefix: "estgate-admin-empty")
        defer { directory.remove() }
        guard case .command(let parsed) = try AdminFixture.root.parse(["requests", "list"]) else {
            Issue.record("expected a command")
            return
        }
        let path = directory.file(AdminCommands.databaseFileName)

        #expect(throws: AdminError.databaseMissing(path: path)) {
            try AdminCommands.run(parsed, dataDirectory: directory.path)
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(AdminError.databaseMissing(path: "/d/estgate.sqlite").description
            == "database /d/estgate.sqlite does not exist; run 'estgate serve' with this data directory first to create it")
    }

    @Test("json escapes and nests stably")
    func jsonText() throws {
        let fixture = try AdminFixture()
        defer { fixture.finish() }
        _ = try fixture.addDevice("quote\"tab\t", domain: fixture.open, attributes: ["b": "2", "a": "\u{1}"])

        let output = try fixture.run(["devices", "list", "--json"]).output

        #expect(output.contains(#""name": "quote\"tab\t","#))
        #expect(output.contains(#""attributes": {"#))
        #expect(output.contains(#""a": "\u0001","#))
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]])
        #expect(rows.first?["name"] as? String == "quote\"tab\t")
    }
}
