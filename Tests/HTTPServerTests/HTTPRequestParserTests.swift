import HTTPServer
import Testing

/// The outcome of feeding a byte stream to a parser: the complete requests, then the error if any.
struct ParseOutcome: Equatable {
    var requests: [HTTPRequest] = []
    var heads: [HTTPRequestHead] = []
    var error: HTTPParseError?

    static func == (lhs: ParseOutcome, rhs: ParseOutcome) -> Bool {
        lhs.requests == rhs.requests && lhs.error == rhs.error && lhs.heads.map(\.keepAlive) == rhs.heads.map(\.keepAlive)
            && lhs.heads.map(\.expectsContinue) == rhs.heads.map(\.expectsContinue)
    }
}

/// Feeds `text` in pieces of the given sizes (the rest in one piece) and collects every event.
func parse(_ text: String, pieces: [Int] = [], limits: HTTPLimits = HTTPLimits(), bodyLimit: Int? = nil) -> ParseOutcome {
    var parser = HTTPRequestParser(limits: limits)
    var outcome = ParseOutcome()
    var remaining = Array(text.utf8)[...]
    var sizes = pieces[...]

    while !remaining.isEmpty {
        let size = min(sizes.popFirst() ?? remaining.count, remaining.count)
        parser.append(remaining.prefix(size))
        remaining = remaining.dropFirst(size)
        do {
            while let event = try parser.next() {
                switch event {
                case .head(let head):
                    outcome.heads.append(head)
                    try parser.startBody(maximumBytes: bodyLimit)
                case .request(let request):
                    outcome.requests.append(request)
                }
            }
        } catch {
            outcome.error = error
            return outcome
        }
    }
    return outcome
}

@Suite("HTTP request parser")
struct HTTPRequestParserTests {
    @Test("parser reads simple GET")
    func simpleGet() throws {
        let outcome = parse("GET /.well-known/est/cacerts?x=1 HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\n\r\n")

        let request = try #require(outcome.requests.first)
        #expect(outcome.error == nil)
        #expect(request.method == "GET")
        #expect(request.target == "/.well-known/est/cacerts?x=1")
        #expect(request.path == "/.well-known/est/cacerts")
        #expect(request.query == "x=1")
        #expect(request.version == .http1_1)
        #expect(request.headers["host"] == "localhost")
        #expect(request.headers["ACCEPT"] == "*/*")
        #expect(request.body.isEmpty)
        #expect(outcome.heads.first?.keepAlive == true)
    }

    @Test("parser keeps repeated headers in order")
    func repeatedHeaders() throws {
        let outcome = parse("GET / HTTP/1.1\r\nHost: a\r\nX-Tag: one\r\nx-tag:two  \r\nX-TAG:\t three\r\n\r\n")

        let request = try #require(outcome.requests.first)
        #expect(request.headers.values(for: "X-Tag") == ["one", "two", "three"])
        #expect(request.headers["x-tag"] == "one")
        #expect(request.headers.map(\.name) == ["Host", "X-Tag", "x-tag", "X-TAG"])
    }

    @Test("parser decodes percent-encoded path")
    func percentDecoding() throws {
        let outcome = parse("GET /est/caf%C3%A9%2Fx?a=%20 HTTP/1.1\r\nHost: a\r\n\r\n")

        let request = try #require(outcome.requests.first)
        #expect(request.path == "/est/café/x")
        #expect(request.query == "a=%20")
    }

    @Test("parser accepts absolute and asterisk forms")
    func targetForms() throws {
        let absolute = parse("GET https://localhost:8443/.well-known/est/cacerts HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let bare = parse("GET http://localhost HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let asterisk = parse("OPTIONS * HTTP/1.1\r\nHost: localhost\r\n\r\n")

        #expect(absolute.requests.first?.path == "/.well-known/est/cacerts")
        #expect(bare.requests.first?.path == "/")
        #expect(asterisk.requests.first?.path == "*")
    }

    @Test("parser reads Content-Length body")
    func contentLengthBody() throws {
        let outcome = parse("POST /e HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello")

        let request = try #require(outcome.requests.first)
        #expect(request.body == Array("hello".utf8))
    }

    @Test("parser decodes chunked body with trailers")
    func chunkedBody() throws {
        let text = "POST /e HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;name=value\r\nhello\r\n1\r\n \r\nA\r\n0123456789\r\n0\r\nX-Checksum: 1\r\n\r\n"
        let outcome = parse(text)

        let request = try #require(outcome.requests.first)
        #expect(outcome.error == nil)
        #expect(request.body == Array("hello 0123456789".utf8))
    }

    @Test("parser reads pipelined requests")
    func pipelined() throws {
        let outcome = parse("GET /a HTTP/1.1\r\nHost: a\r\n\r\nPOST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nokGET /c HTTP/1.1\r\nHost: a\r\n\r\n")

        #expect(outcome.requests.map(\.path) == ["/a", "/b", "/c"])
        #expect(outcome.requests[1].body == Array("ok".utf8))
    }

    @Test("parser applies keep-alive defaults")
    func keepAliveDefaults() throws {
        let http10 = parse("GET / HTTP/1.0\r\n\r\n")
        let http10KeepAlive = parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")
        let http11Close = parse("GET / HTTP/1.1\r\nHost: a\r\nConnection: upgrade, close\r\n\r\n")

        #expect(http10.requests.first?.version == .http1_0)
        #expect(http10.heads.first?.keepAlive == false)
        #expect(http10KeepAlive.heads.first?.keepAlive == true)
        #expect(http11Close.heads.first?.keepAlive == false)
    }

    @Test("parser flags Expect 100-continue")
    func expectContinue() throws {
        let outcome = parse("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 1\r\n\r\nx")

        #expect(outcome.heads.first?.expectsContinue == true)
        #expect(outcome.heads.first?.framing == .contentLength(1))
    }

    @Test("parser skips leading empty lines")
    func leadingEmptyLines() throws {
        let outcome = parse("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n")

        #expect(outcome.requests.count == 1)
    }

    static let malformed: [(name: String, text: String, error: HTTPParseError)] = [
        ("double space", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", .invalidRequestLine),
        ("missing version", "GET /\r\nHost: a\r\n\r\n", .invalidRequestLine),
        ("bad method token", "G@T / HTTP/1.1\r\nHost: a\r\n\r\n", .invalidRequestLine),
        ("bad protocol name", "GET / HTTX/1.1\r\nHost: a\r\n\r\n", .invalidRequestLine),
        ("bare CR in request line", "GET /\r HTTP/1.1\r\nHost: a\r\n\r\n", .invalidRequestLine),
        ("unknown method", "BREW /pot HTTP/1.1\r\nHost: a\r\n\r\n", .unsupportedMethod),
        ("HTTP/2.0", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", .unsupportedVersion),
        ("HTTP/1.2", "GET / HTTP/1.2\r\nHost: a\r\n\r\n", .unsupportedVersion),
        ("relative target", "GET est HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget),
        ("asterisk on GET", "GET * HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget),
        ("control byte in target", "GET /\u{7F} HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget),
        ("non-hex escape", "GET /a%zz HTTP/1.1\r\nHost: a\r\n\r\n", .invalidPercentEncoding),
        ("truncated escape", "GET /a%4 HTTP/1.1\r\nHost: a\r\n\r\n", .invalidPercentEncoding),
        ("escape not UTF-8", "GET /a%ff HTTP/1.1\r\nHost: a\r\n\r\n", .invalidPercentEncoding),
        ("space in header name", "GET / HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n", .invalidHeaderField),
        ("space before colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", .invalidHeaderField),
        ("header without colon", "GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", .invalidHeaderField),
        ("empty header name", "GET / HTTP/1.1\r\nHost: a\r\n: x\r\n\r\n", .invalidHeaderField),
        ("control byte in value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\u{01}b\r\n\r\n", .invalidHeaderField),
        ("bare CR in header", "GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n", .invalidHeaderField),
        ("folded header", "GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n", .obsoleteLineFolding),
        ("missing Host", "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", .invalidHost),
        ("two Host fields", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", .invalidHost),
        ("letters in length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\n\r\n", .invalidContentLength),
        ("negative length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", .invalidContentLength),
        ("differing lengths", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1, 2\r\n\r\n", .invalidContentLength),
        ("huge length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n", .invalidContentLength),
        ("length and chunked", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", .conflictingFraming),
        ("gzip coding", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", .unsupportedTransferEncoding),
        ("chunked on HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", .unsupportedTransferEncoding),
        ("POST without length", "POST / HTTP/1.1\r\nHost: a\r\n\r\n", .lengthRequired),
        ("non-hex chunk size", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", .invalidChunk),
        ("empty chunk size", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n\r\n", .invalidChunk),
        ("chunk without CRLF", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n", .invalidChunk),
        ("chunk size overflow", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000000\r\n", .invalidChunk),
        ("bad trailer", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nbad trailer\r\n\r\n", .invalidHeaderField),
        ("oversize length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 65537\r\n\r\n", .bodyTooLarge(limit: 65536)),
        ("oversize chunks", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n8000\r\n" + String(repeating: "a", count: 0x8000) + "\r\n8001\r\n", .bodyTooLarge(limit: 65536)),
        ("long request line", "GET /" + String(repeating: "a", count: 8192) + " HTTP/1.1\r\nHost: a\r\n\r\n", .requestLineTooLong(limit: 8192)),
        ("long header section", "GET / HTTP/1.1\r\nHost: a\r\n" + String(repeating: "X-Filler: aaaaaaaaaaaaaaaaaaaa\r\n", count: 600) + "\r\n", .headersTooLarge(limit: 16384)),
        ("long single header", "GET / HTTP/1.1\r\nHost: a\r\nX: " + String(repeating: "a", count: 16384) + "\r\n\r\n", .headersTooLarge(limit: 16384)),
    ]

    @Test("parser rejects malformed requests", arguments: malformed.indices)
    func rejectsMalformed(index: Int) throws {
        let testCase = Self.malformed[index]

        let outcome = parse(testCase.text)

        #expect(outcome.error == testCase.error, "\(testCase.name)")
        #expect(outcome.requests.isEmpty, "\(testCase.name)")
    }

    @Test("malformed errors map to statuses")
    func errorStatuses() {
        #expect(HTTPParseError.requestLineTooLong(limit: 1).status == 414)
        #expect(HTTPParseError.headersTooLarge(limit: 1).status == 431)
        #expect(HTTPParseError.bodyTooLarge(limit: 1).status == 413)
        #expect(HTTPParseError.lengthRequired.status == 411)
        #expect(HTTPParseError.invalidRequestLine.status == 400)
        #expect(HTTPParseError.invalidPercentEncoding.status == 400)
        #expect(HTTPParseError.unsupportedMethod.status == 501)
        #expect(HTTPParseError.unsupportedVersion.status == 505)
        #expect(HTTPParseError.bodyTooLarge(limit: 10).reason == "The request body is larger than 10 bytes.")
    }

    @Test("request line at limit is accepted")
    func requestLineAtLimit() throws {
        let suffix = " HTTP/1.1\r\n"
        let path = "/" + String(repeating: "a", count: 8192 - 4 - suffix.utf8.count - 1)
        let outcome = parse("GET " + path + suffix + "Host: a\r\n\r\n")

        #expect(outcome.error == nil)
        #expect(outcome.requests.first?.path == path)
    }

    @Test("route body limit rejects before body")
    func routeBodyLimit() throws {
        let outcome = parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n", bodyLimit: 10)

        #expect(outcome.error == .bodyTooLarge(limit: 10))
        #expect(outcome.heads.count == 1)
    }

    @Test("failed parser keeps failing")
    func failureIsSticky() throws {
        var parser = HTTPRequestParser()
        parser.append(Array("BREW / HTTP/1.1\r\n".utf8))

        #expect(throws: HTTPParseError.unsupportedMethod) { try parser.next() }
        parser.append(Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
        #expect(throws: HTTPParseError.unsupportedMethod) { try parser.next() }
    }

    static let splitCorpus: [String] = [
        "GET /a%20b?q HTTP/1.1\r\nHost: a\r\nX: 1\r\nX: 2\r\n\r\nGET /c HTTP/1.0\r\n\r\n",
        "POST /e HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello world",
        "POST /e HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nT: v\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc",
        "GET / HTTP/1.1\nHost: a\n\n",
        "GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n",
        "GET /" + String(repeating: "b", count: 9000) + " HTTP/1.1\r\n\r\n",
    ]

    @Test("split reads match whole reads", arguments: splitCorpus.indices)
    func splitReads(index: Int) throws {
        let text = Self.splitCorpus[index]
        let whole = parse(text)
        let byteAtATime = parse(text, pieces: Array(repeating: 1, count: text.utf8.count))
        var generator = SplitMix64(seed: UInt64(index) + 1)

        #expect(whole.requests.count + (whole.error == nil ? 0 : 1) >= 1)
        #expect(byteAtATime == whole)
        for _ in 0..<50 {
            let pieces = (0..<text.utf8.count).map { _ in Int(generator.next() % 40) + 1 }
            #expect(parse(text, pieces: pieces) == whole)
        }
    }
}

/// A small seeded generator so random split sizes repeat from run to run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
