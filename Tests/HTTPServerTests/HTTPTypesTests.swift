@testable import HTTPServer
import Testing

@Suite("HTTP types")
struct HTTPTypesTests {
    @Test("listen address parses IPv4 and IPv6")
    func listenAddressParsing() throws {
        #expect(try ListenAddress(parsing: "127.0.0.1:8443") == ListenAddress(host: "127.0.0.1", port: 8443))
        #expect(try ListenAddress(parsing: "[::1]:0") == ListenAddress(host: "::1", port: 0))
        #expect(try ListenAddress(parsing: "[::1]:8443").description == "[::1]:8443")
    }

    static let invalidAddresses: [(text: String, message: String)] = [
        ("127.0.0.1", "listen address 127.0.0.1 has no port; expected host:port"),
        ("127.0.0.1:99999", "listen address 127.0.0.1:99999 has an invalid port 99999; expected 0 to 65535"),
        ("127.0.0.1:https", "listen address 127.0.0.1:https has an invalid port https; expected 0 to 65535"),
        ("::1:8443", "listen address ::1:8443 has an IPv6 host without brackets; expected [host]:port"),
        ("[::1:8443", "listen address [::1:8443 has no closing bracket"),
        ("[::1]8443", "listen address [::1]8443 has no port after the bracketed host"),
        ("localhost:8443", "listen address localhost:8443 has host localhost, which is not an IPv4 or IPv6 address"),
    ]

    @Test("listen address rejects malformed text", arguments: invalidAddresses.indices)
    func listenAddressErrors(index: Int) {
        let testCase = Self.invalidAddresses[index]

        #expect(throws: HTTPServerError(.invalidListenAddress, testCase.message)) {
            try ListenAddress(parsing: testCase.text)
        }
    }

    @Test("headers replace and look up")
    func headersReplaceOrAdd() {
        var headers: HTTPHeaders = ["Content-Type": "text/plain", "X-A": "1"]
        headers.add("x-a", "2")

        headers.replaceOrAdd("X-A", "3")
        headers.replaceOrAdd("Retry-After", "60")

        #expect(headers.values(for: "x-a") == ["3"])
        #expect(headers["retry-after"] == "60")
        #expect(headers.map(\.name) == ["Content-Type", "X-A", "Retry-After"])
    }

    @Test("text response ends with newline")
    func textResponse() {
        let response = HTTPResponse.text(404, "Domain acme is not configured.")

        #expect(response.headers["content-type"] == "text/plain; charset=utf-8")
        #expect(response.body == Array("Domain acme is not configured.\n".utf8))
    }

    @Test("serializer owns framing fields")
    func serialization() {
        var response = HTTPResponse.text(200, "ok")
        response.headers.add("Content-Length", "999")
        response.headers.add("X-Bad", "a\r\nInjected: yes")

        let output = response.serialized(keepAlive: false, omitBody: false, date: "Thu, 01 Jan 1970 00:00:00 GMT")

        let text = String(decoding: output.bytes, as: UTF8.self)
        #expect(text == "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nDate: Thu, 01 Jan 1970 00:00:00 GMT\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n")
        #expect(output.droppedFields == ["X-Bad"])
    }

    @Test("HTTP date uses IMF-fixdate")
    func httpDate() {
        #expect(HTTPResponse.httpDate(784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
    }

    @Test("repeat limiter counts suppressed lines")
    func repeatLimiter() {
        let limiter = RepeatLimiter(burst: 2, window: .seconds(60))
        let start = ContinuousClock.now

        #expect(limiter.admit("bad", at: start) == 0)
        #expect(limiter.admit("bad", at: start) == 0)
        #expect(limiter.admit("bad", at: start) == nil)
        #expect(limiter.admit("other", at: start) == 0)
        #expect(limiter.admit("bad", at: start + .seconds(61)) == 1)
    }

    @Test("repeat limiter per client address")
    func repeatLimiterPerAddress() {
        let limiter = RepeatLimiter(burst: 2, window: .seconds(60))
        let start = ContinuousClock.now
        #expect(limiter.admit("127.0.0.1", at: start) == 0)
        #expect(limiter.admit("127.0.0.1", at: start) == 0)
        #expect(limiter.admit("127.0.0.1", at: start) == nil)
        #expect(limiter.admit("127.0.0.1", at: start + .seconds(1)) == nil)
        // Another address has its own budget.
        #expect(limiter.admit("::1", at: start + .seconds(1)) == 0)
        // The next window logs again and reports the two dropped lines once.
        #expect(limiter.admit("127.0.0.1", at: start + .seconds(61)) == 2)
        #expect(limiter.admit("127.0.0.1", at: start + .seconds(62)) == 0)
    }

    @Test("repeat limiter key table bounded")
    func repeatLimiterBounded() {
        let limiter = RepeatLimiter(burst: 1, window: .seconds(60), maximumKeys: 3)
        let start = ContinuousClock.now
        for index in 0..<10 {
            _ = limiter.admit("client-\(index)", at: start + .seconds(index))
        }
        // The newest key kept its window, so its second line within the window is dropped.
        #expect(limiter.admit("client-9", at: start + .seconds(10)) == nil)
        // The oldest was evicted and starts fresh.
        #expect(limiter.admit("client-0", at: start + .seconds(10)) == 0)
    }
}
