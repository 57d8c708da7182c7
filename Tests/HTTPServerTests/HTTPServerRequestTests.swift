import Foundation
import HTTPServer
import Testing
import TestSupport

@Suite("HTTP server requests", .serialized)
struct HTTPServerRequestTests {
    @Test("keep-alive reuses one connection")
    func keepAlive() throws {
        let server = try TestServer()
        defer { server.stop() }

        let result = try server.curl(["--write-out", "\nconnects=%{num_connects}\n", "\(server.base)/one", "\(server.base)/two"])

        let connects = result.output.split(separator: "\n").filter { $0.hasPrefix("connects=") }
        #expect(connects == ["connects=1", "connects=0"], "\(result.output)")
        #expect(result.output.contains("path=/one"))
        #expect(result.output.contains("path=/two"))
    }

    @Test("chunked POST body is decoded")
    func chunkedPost() throws {
        let server = try TestServer()
        defer { server.stop() }
        let payload = [UInt8](repeating: UInt8(ascii: "x"), count: 5000)

        let result = try server.curl(
            ["-H", "Transfer-Encoding: chunked", "-H", "Content-Type: application/pkcs10", "--data-binary", "@-", "\(server.base)/enroll"],
            input: payload)

        let body = fields(result.output)
        #expect(body["method"] == "POST")
        #expect(body["body"] == "5000")
    }

    @Test("Expect 100-continue gets 100 first")
    func expectContinue() throws {
        let server = try TestServer()
        defer { server.stop() }

        let result = try server.curl(
            ["-v", "-H", "Expect: 100-continue", "--expect100-timeout", "10", "--data-binary", "@-", "\(server.base)/enroll"],
            input: Array(repeating: UInt8(ascii: "y"), count: 300))

        #expect(result.errorOutput.contains("< HTTP/1.1 100 Continue"), "\(result.errorOutput)")
        #expect(fields(result.output)["body"] == "300")
    }

    @Test("oversize body gets 413")
    func oversizeBody() throws {
        let server = try TestServer()
        defer { server.stop() }

        let declared = try server.curl(
            ["-H", "Expect:", "--write-out", "%{http_code}", "--data-binary", "@-", "\(server.base)/enroll"],
            input: Array(repeating: UInt8(ascii: "z"), count: 70_000))
        let route = try server.curl(
            ["--write-out", "%{http_code}", "--data-binary", "@-", "\(server.base)/small"],
            input: Array(repeating: UInt8(ascii: "z"), count: 17))

        #expect(declared.output == "The request body is larger than 65536 bytes.\n413", "\(declared.errorOutput)")
        #expect(route.output == "The request body is larger than 16 bytes.\n413")
    }

    @Test("oversize body with Expect gets only 413")
    func oversizeWithExpect() throws {
        let server = try TestServer()
        defer { server.stop() }

        let result = try server.curl(
            ["-v", "-H", "Expect: 100-continue", "--expect100-timeout", "10", "--data-binary", "@-", "\(server.base)/small"],
            input: Array(repeating: UInt8(ascii: "z"), count: 100))

        #expect(!result.errorOutput.contains("100 Continue"))
        #expect(result.errorOutput.contains("< HTTP/1.1 413 Content Too Large"), "\(result.errorOutput)")
    }

    @Test("unknown method gets 501")
    func unknownMethod() throws {
        let server = try TestServer()
        defer { server.stop() }

        let result = try server.curl(["-X", "BREW", "--write-out", "%{http_code}", "\(server.base)/pot"])

        #expect(result.output == "The request method is not implemented by this server.\n501")
    }

    @Test("slow header gets 408")
    func slowHeader() throws {
        var limits = HTTPLimits()
        limits.headerReadTimeout = .seconds(1)
        let server = try TestServer(limits: limits)
        defer { server.stop() }

        let started = Date()
        let result = try server.sClient(["-quiet"], input: Array("GET / HTTP/1.1\r\nHost: loc".utf8), timeout: 10)

        #expect(result.output.hasPrefix("HTTP/1.1 408 Request Timeout\r\n"), "\(result.output)")
        #expect(result.output.hasSuffix("\r\n\r\nThe request was not received in time.\n"))
        #expect(Date().timeIntervalSince(started) >= 1)
    }

    @Test("connection cap closes extra connections")
    func connectionCap() throws {
        var limits = HTTPLimits()
        limits.maximumConnections = 2
        let server = try TestServer(limits: limits)
        defer { server.stop() }

        let first = try OpenTLSSession(port: server.port, caPath: server.pki.caCertificatePath)
        let second = try OpenTLSSession(port: server.port, caPath: server.pki.caCertificatePath)
        defer {
            first.terminate()
            second.terminate()
        }
        // Both handshakes finish well within this on 127.0.0.1.
        Thread.sleep(forTimeInterval: 1)
        let third = try server.curl(["\(server.base)/third"])
        let request = "GET /held HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        let firstResponse = try first.exchange(request)
        let secondResponse = try second.exchange(request)

        #expect(third.exitCode == 35, "\(third.errorOutput)")
        #expect(firstResponse.hasPrefix("HTTP/1.1 200 OK\r\n"), "\(firstResponse)")
        #expect(secondResponse.hasPrefix("HTTP/1.1 200 OK\r\n"), "\(secondResponse)")
        #expect(firstResponse.contains("path=/held"))
    }

    @Test("shutdown drains in-flight request")
    func gracefulShutdown() throws {
        let server = try TestServer()
        let output = try TemporaryDirectory(prefix: "estgate-http-drain")
        defer { output.remove() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try ProcessRunner.resolve("curl"))
        process.arguments = [
            "-sS", "--http1.1", "--max-time", "15", "--cacert", server.pki.caCertificatePath,
            "-o", output.file("body"), "--write-out", "%{http_code}", "\(server.base)/slow",
        ]
        let status = Pipe()
        process.standardOutput = status
        try process.run()

        Thread.sleep(forTimeInterval: 0.5)
        let shutdownStarted = Date()
        server.stop()
        let stopDuration = Date().timeIntervalSince(shutdownStarted)
        process.waitUntilExit()
        let after = try server.curl(["\(server.base)/late"])

        let body = try String(contentsOfFile: output.file("body"), encoding: .utf8)
        #expect(String(decoding: status.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) == "200")
        #expect(fields(body)["path"] == "/slow")
        #expect(stopDuration < 5)
        #expect(after.exitCode == 7, "\(after.errorOutput)")
    }

    @Test("shutdown closes after grace period")
    func shutdownGracePeriod() throws {
        var limits = HTTPLimits()
        limits.shutdownGracePeriod = .milliseconds(300)
        let server = try TestServer(limits: limits)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: try ProcessRunner.resolve("curl"))
        process.arguments = ["-sS", "--http1.1", "--max-time", "15", "--cacert", server.pki.caCertificatePath, "\(server.base)/slow"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()

        Thread.sleep(forTimeInterval: 0.3)
        let shutdownStarted = Date()
        server.stop()
        let stopDuration = Date().timeIntervalSince(shutdownStarted)
        process.waitUntilExit()

        #expect(stopDuration < 1.2)
        #expect(process.terminationStatus != 0)
    }
}
