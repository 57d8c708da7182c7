import ArgumentParsing
import Testing

@Suite("Generated help")
struct HelpTests {
    private func help(_ arguments: [String]) throws -> String {
        guard case .help(let text) = try SampleCommand.root.parse(arguments) else {
            Issue.record("expected help for \(arguments)")
            return ""
        }
        return text
    }

    @Test("root help lists subcommands")
    func rootHelp() throws {
        #expect(try help(["--help"]) == """
            USAGE: estgate [<options>] <subcommand>

            An EST enrollment gateway with approval workflows.

            OPTIONS:
              -d, --data-dir DIR  Directory holding the database and CA keys. (default: ./estgate-data)
              -v, --verbose       Log debug messages to stderr.
              -h, --help          Show this help.

            SUBCOMMANDS:
              serve               Run the gateway until SIGTERM.
              requests            Review and decide enrollment requests.

            """)
    }

    @Test("leaf help aligns inherited options")
    func leafHelp() throws {
        #expect(try help(["serve", "-h"]) == """
            USAGE: estgate serve [<options>]

            Run the gateway until SIGTERM.

            OPTIONS:
              --listen HOST:PORT       Address to accept TLS connections on. (repeatable)
              --workers N              Number of request threads. (default: 4)
              --drain-timeout SECONDS  Time to finish in-flight requests on SIGTERM. (default: 10)
              -d, --data-dir DIR       Directory holding the database and CA keys. (default: ./estgate-data)
              -v, --verbose            Log debug messages to stderr.
              -h, --help               Show this help.

            """)
    }

    @Test("nested help shows arguments and discussion")
    func nestedHelp() throws {
        #expect(try help(["requests", "approve", "--help"]) == """
            USAGE: estgate requests approve [<options>] <id> [<comment>]

            Approve a pending enrollment request.

            The request passes to its next approval step, or is issued after the last one.

            ARGUMENTS:
              <id>                Enrollment request id.
              <comment>           Text stored with the approval in the audit trail.

            OPTIONS:
              --by NAME           Administrator recorded as the approver.
              -d, --data-dir DIR  Directory holding the database and CA keys. (default: ./estgate-data)
              -v, --verbose       Log debug messages to stderr.
              -h, --help          Show this help.

            """)
    }

    @Test("help stops at deepest command named")
    func helpPosition() throws {
        let requestsHelp = SampleCommand.root.helpText(commandPath: ["requests"])
        #expect(try help(["requests", "--help", "approve"]) == requestsHelp)
        #expect(try help(["-v", "requests", "-h"]) == requestsHelp)
        #expect(try help(["-h", "requests"]) == SampleCommand.root.helpText())
        #expect(requestsHelp.hasPrefix("USAGE: estgate requests [<options>] <subcommand>\n"))
    }

    @Test("help after double dash is argument")
    func helpAfterDoubleDash() throws {
        let command = try SampleCommand.command(["requests", "approve", "--", "--help"])
        #expect(command.argument("id") == "--help")
    }

    @Test("long label wraps its help")
    func longLabelWraps() throws {
        let command = CommandSpec(
            name: "tool",
            abstract: "A tool.",
            options: [
                .value("client-certificate-chain", valueName: "PEM-FILE", help: "Chain sent to the server."),
                .flag("json", help: "Print JSON."),
            ])
        #expect(command.helpText() == """
            USAGE: tool [<options>]

            A tool.

            OPTIONS:
              --client-certificate-chain PEM-FILE
                                          Chain sent to the server.
              --json                      Print JSON.
              -h, --help                  Show this help.

            """)
    }
}
