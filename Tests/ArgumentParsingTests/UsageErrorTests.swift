import ArgumentParsing
import Testing

@Suite("Usage errors")
struct UsageErrorTests {
    private func expectError(
        _ arguments: [String], _ code: UsageError.Code, _ message: String, path: [String],
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let error = SampleCommand.usageError(arguments)
        #expect(error?.code == code, sourceLocation: sourceLocation)
        #expect(error?.message == message, sourceLocation: sourceLocation)
        #expect(error?.commandPath == path, sourceLocation: sourceLocation)
    }

    @Test("unknown option suggests closest")
    func unknownOptionSuggestion() {
        expectError(
            ["serve", "--lisen", "127.0.0.1:8443"], .unknownOption,
            "unknown option --lisen (did you mean --listen?)", path: ["estgate", "serve"])
        expectError(
            ["requests", "list", "--data-dri", "x"], .unknownOption,
            "unknown option --data-dri (did you mean --data-dir?)", path: ["estgate", "requests", "list"])
    }

    @Test("unknown option without close match")
    func unknownOptionFar() {
        expectError(["serve", "--frobnicate"], .unknownOption, "unknown option --frobnicate", path: ["estgate", "serve"])
        expectError(["-x"], .unknownOption, "unknown option -x", path: ["estgate"])
    }

    @Test("option of sibling command rejected")
    func siblingOption() {
        expectError(["serve", "--json"], .unknownOption, "unknown option --json", path: ["estgate", "serve"])
    }

    @Test("missing value at end")
    func missingValueAtEnd() {
        expectError(
            ["serve", "--workers"], .missingValue, "missing value for --workers (expected N)", path: ["estgate", "serve"])
    }

    @Test("missing value before option")
    func missingValueBeforeOption() {
        expectError(
            ["--data-dir", "--verbose", "serve"], .missingValue, "missing value for --data-dir (expected DIR)",
            path: ["estgate"])
    }

    @Test("flag given a value")
    func flagWithValue() {
        expectError(
            ["requests", "list", "--json=yes"], .unexpectedValue,
            "option --json takes no value, but \"yes\" was given", path: ["estgate", "requests", "list"])
    }

    @Test("single value given twice")
    func duplicateValue() {
        expectError(
            ["serve", "--workers", "2", "--workers=3"], .duplicateOption,
            "option --workers was given more than once", path: ["estgate", "serve"])
    }

    @Test("unexpected extra argument")
    func unexpectedArgument() {
        expectError(
            ["requests", "approve", "42", "ok", "extra"], .unexpectedArgument, "unexpected argument \"extra\"",
            path: ["estgate", "requests", "approve"])
        expectError(["serve", "now"], .unexpectedArgument, "unexpected argument \"now\"", path: ["estgate", "serve"])
    }

    @Test("unknown subcommand lists valid ones")
    func unknownSubcommand() {
        expectError(
            ["requests", "aprove", "42"], .unknownSubcommand,
            "unknown subcommand \"aprove\" for estgate requests (expected one of: list, approve)",
            path: ["estgate", "requests"])
    }

    @Test("missing subcommand lists valid ones")
    func missingSubcommand() {
        expectError(
            [], .missingSubcommand, "missing subcommand for estgate (expected one of: serve, requests)", path: ["estgate"])
    }

    @Test("missing required argument")
    func missingArgument() {
        expectError(
            ["requests", "approve", "--by", "alice"], .missingArgument, "missing argument <id>",
            path: ["estgate", "requests", "approve"])
    }

    @Test("integer out of range names option")
    func integerOutOfRange() throws {
        for text in ["abc", "0", "10001", "2.5", ""] {
            let command = try SampleCommand.command(["requests", "list", "--limit", text])
            #expect(throws: UsageError(
                code: .invalidValue,
                message: "invalid value \"\(text)\" for --limit: expected an integer from 1 to 10000",
                commandPath: ["estgate", "requests", "list"])) {
                try command.integer("limit", range: 1...10_000)
            }
        }
    }

    @Test("double invalid names option")
    func doubleInvalid() throws {
        for text in ["soon", "nan", "inf", "0.1", "601"] {
            let command = try SampleCommand.command(["serve", "--drain-timeout", text])
            #expect(throws: UsageError(
                code: .invalidValue,
                message: "invalid value \"\(text)\" for --drain-timeout: expected a number from 0.5 to 600",
                commandPath: ["estgate", "serve"])) {
                try command.double("drain-timeout", range: 0.5...600)
            }
        }
    }

    @Test("help hint names command path")
    func helpHint() {
        let error = SampleCommand.usageError(["requests", "list", "--bogus"])
        #expect(error?.helpHint == "Run 'estgate requests list --help' for usage.")
    }
}
