import ArgumentParsing
import Testing

@Suite("Command-line parsing")
struct ParsingTests {
    @Test("subcommand path and typed getters")
    func subcommandPath() throws {
        let command = try SampleCommand.command(["requests", "list", "--json", "--limit", "25", "--state", "Approved"])
        #expect(command.path == ["requests", "list"])
        #expect(command.flag("json"))
        #expect(!command.flag("verbose"))
        #expect(try command.integer("limit", range: 1...10_000) == 25)
        #expect(command.value("state") == "Approved")
    }

    @Test("equals form sets value")
    func equalsForm() throws {
        let command = try SampleCommand.command(["serve", "--workers=8", "--listen=127.0.0.1:8443", "--drain-timeout="])
        #expect(command.value("workers") == "8")
        #expect(command.values("listen") == ["127.0.0.1:8443"])
        #expect(command.value("drain-timeout") == "")
    }

    @Test("repeatable option keeps order")
    func repeatableOrder() throws {
        let command = try SampleCommand.command(["serve", "--listen", "127.0.0.1:8443", "--listen", "[::1]:8443"])
        #expect(command.values("listen") == ["127.0.0.1:8443", "[::1]:8443"])
    }

    @Test("absent options use defaults")
    func defaults() throws {
        let command = try SampleCommand.command(["serve"])
        #expect(command.value("data-dir") == "./estgate-data")
        #expect(try command.integer("workers", range: 1...64) == 4)
        #expect(try command.double("drain-timeout", range: 0...600) == 10)
        #expect(command.values("listen") == [])
    }

    @Test("ancestor options accepted anywhere")
    func ancestorOptions() throws {
        let before = try SampleCommand.command(["--data-dir", "/srv/a", "requests", "list"])
        let after = try SampleCommand.command(["requests", "list", "-d", "/srv/b", "-v"])
        #expect(before.value("data-dir") == "/srv/a")
        #expect(after.value("data-dir") == "/srv/b")
        #expect(after.flag("verbose"))
    }

    @Test("positional arguments required and optional")
    func positionalArguments() throws {
        let both = try SampleCommand.command(["requests", "approve", "42", "looks fine", "--by", "alice"])
        #expect(both.argument("id") == "42")
        #expect(both.argument("comment") == "looks fine")
        #expect(both.value("by") == "alice")

        let idOnly = try SampleCommand.command(["requests", "approve", "42"])
        #expect(idOnly.argument("comment") == nil)
        #expect(idOnly.value("by") == nil)
    }

    @Test("double dash ends options")
    func doubleDash() throws {
        let command = try SampleCommand.command(["requests", "approve", "--", "-7", "--json"])
        #expect(command.argument("id") == "-7")
        #expect(command.argument("comment") == "--json")
    }

    @Test("negative number taken as value")
    func negativeNumber() throws {
        let command = try SampleCommand.command(["requests", "approve", "-5", "--by", "-"])
        #expect(command.argument("id") == "-5")
        #expect(command.value("by") == "-")
    }

    @Test("double parses within range")
    func doubleInRange() throws {
        let command = try SampleCommand.command(["serve", "--drain-timeout", "2.5"])
        #expect(try command.double("drain-timeout", range: 0.5...600) == 2.5)
    }
}
