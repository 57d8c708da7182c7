import ESTClient
import Foundation
import Testing
import TestSupport

@Suite("HTTP client framing", .serialized)
struct HTTPClientConnectionTests {
    let fixture: SServerFixture

    init() throws {
        fixture = try SServerFixture()
    }

    private func exchange(_ response: String, keepAlive: Bool = false) throws -> (HTTPResponse, reusable: Bool, request: String) {
        let ((reply, reusable), request) = try fixture.withScriptedServer(response: response) { server in
            let context = try TLSClientContext(configuration: TLSClientConfiguration(
                serverVerification: .caFile(fixture.pki.caCertificateFile)))
            let connection = try TLSClientConnection(context: context, host: "127.0.0.1", port: server.port)
            let http = HTTPClientConnection(connection: connection, authority: "localhost:\(server.port)", keepAlive: keepAlive)
            defer { try? http.close() }
            let reply = try http.send(HTTPRequest(
                method: "POST", path: "/echo", headers: [("Content-Type", "text/plain")], body: Array("ping".utf8)))
            return (reply, http.isReusable)
        }
        return (reply, reusable, request)
    }

    @Test("chunked body with extension and trailer")
    func chunkedBody() throws {
        let (response, reusable, _) = try exchange(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: yes\r\n\r\n",
            keepAlive: true)
        #expect(response.status == 200)
        #expect(response.bodyText == "hello, world")
        #expect(reusable)
    }

    @Test("content length body and reuse")
    func contentLengthBody() throws {
        let (response, reusable, _) = try exchange(
            "HTTP/1.1 201 Created\r\nContent-Length: 5\r\nContent-Type: Text/Plain; charset=utf-8\r\n\r\nhello", keepAlive: true)
        #expect(response.status == 201)
        #expect(response.reason == "Created")
        #expect(response.mediaType == "text/plain")
        #expect(response.header("content-length") == "5")
        #expect(response.bodyText == "hello")
        #expect(reusable)
    }

    @Test("interim response skipped")
    func interimResponse() throws {
        let (response, _, _) = try exchange("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n")
        #expect(response.status == 204)
        #expect(response.body.isEmpty)
    }

    @Test("connection close ends reuse")
    func connectionClose() throws {
        let (_, reusable, _) = try exchange("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", keepAlive: true)
        #expect(!reusable)
    }

    @Test("request framed with content length")
    func requestFraming() throws {
        let (_, _, request) = try exchange("HTTP/1.1 204 No Content\r\n\r\n")
        #expect(request.contains("POST /echo HTTP/1.1\r\nHost: localhost:"))
        #expect(request.contains("\r\nContent-Type: text/plain\r\nContent-Length: 4\r\nConnection: close\r\n\r\nping"))
    }

    @Test("malformed status line rejected")
    func malformedStatusLine() throws {
        #expect(throws: ESTClientError(.malformedResponse, "invalid status line \"ICY 200 OK\" in the response to /echo")) {
            _ = try exchange("ICY 200 OK\r\n\r\n")
        }
    }

    @Test("invalid chunk size rejected")
    func invalidChunkSize() throws {
        #expect(throws: ESTClientError(.malformedResponse, "invalid chunk size \"zz\" in the response to /echo")) {
            _ = try exchange("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
        }
    }

    @Test("invalid content length rejected")
    func invalidContentLength() throws {
        #expect(throws: ESTClientError(.malformedResponse, "invalid Content-Length \"-3\" in the response to /echo")) {
            _ = try exchange("HTTP/1.1 200 OK\r\nContent-Length: -3\r\n\r\n")
        }
    }
}
