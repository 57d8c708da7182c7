import Foundation
import HTTPServer
import Logging
import Synchronization
import TestSupport

/// A handler that reports what it saw, one `key=value` line each, so tests can check the
/// connection context from the client side.
struct EchoHandler: HTTPRequestHandler {
    func handle(_ request: HTTPRequest, context: ConnectionContext) -> HTTPResponse {
        if request.path == "/slow" {
            Thread.sleep(forTimeInterval: 1.5)
        }
        let decoded = context.peerCertificates?.derEncoded ?? []
        let lines = [
            "method=\(request.method)",
            "path=\(request.path)",
            "body=\(request.body.count)",
            "version=\(context.tlsVersion)",
            "verified=\(context.peerCertificateVerified)",
            "chain=\(context.peerCertificateChain.count)",
            "decoded=\(decoded.count)",
            "decodedMatchesChain=\(context.peerCertificateChain.starts(with: decoded))",
            "error=\(context.peerVerificationError ?? "none")",
            "verifyResult=\(context.handshakeVerifyResult)",
            "unique=\(context.tlsUnique.map(hex) ?? "none")",
            "exporter=\(context.tlsExporter.map(hex) ?? "none")",
            "connection=\(context.connectionID)",
        ]
        return HTTPResponse(status: 200, headers: ["Content-Type": "text/plain"], body: Array(lines.joined(separator: "\n").utf8))
    }

    func maximumBodyBytes(method: String, path: String) -> Int? {
        path == "/small" ? 16 : nil
    }
}

func hex(_ bytes: [UInt8]) -> String {
    bytes.map { String(format: "%02x", $0) }.joined()
}

/// Reads `key=value` lines from an echo response body.
func fields(_ text: String) -> [String: String] {
    var result: [String: String] = [:]
    for line in text.split(separator: "\n") {
        let parts = line.split(separator: "=", maxSplits: 1)
        if parts.count == 2 {
            result[String(parts[0])] = String(parts[1])
        }
    }
    return result
}

private let sharedPKI = Mutex<HTTPTestPKI?>(nil)

/// The suite's PKI, made once on first use.
func testPKI() throws -> HTTPTestPKI {
    try sharedPKI.withLock { cached in
        if let cached {
            return cached
        }
        let pki = try HTTPTestPKI()
        cached = pki
        return pki
    }
}

/// A server on 127.0.0.1 with an ephemeral port, shut down by `stop()`.
struct TestServer {
    let server: HTTPServer
    let port: Int
    let pki: HTTPTestPKI

    init(
        mode: TLSConfiguration.ClientCertificateMode = .request, limits: HTTPLimits = HTTPLimits(),
        sessionResumption: Bool = true, verifiesRequestedCertificates: Bool = true
    ) throws {
        pki = try testPKI()
        var tls = TLSConfiguration(
            certificateChainPath: pki.serverCertificatePath, privateKeyPath: pki.serverKeyPath,
            clientCertificateMode: mode, trustAnchorsPath: pki.caCertificatePath)
        tls.sessionResumption = sessionResumption
        tls.verifiesRequestedCertificates = verifiesRequestedCertificates
        let configuration = HTTPServer.Configuration(
            listenAddresses: [try ListenAddress(parsing: "127.0.0.1:0")], tls: tls,
            limits: limits, eventLoopCount: 2, handlerThreadCount: 4)
        server = try HTTPServer(configuration: configuration, handler: EchoHandler(), logger: Logger(label: "http-test"))
        port = try server.start()[0].port
    }

    var base: String { "https://127.0.0.1:\(port)" }

    func stop() {
        server.shutdown()
        server.waitUntilStopped()
    }

    /// Runs curl against the server trusting the test CA, with a 20 s bound.
    func curl(_ arguments: [String], input: [UInt8] = []) throws -> ProcessResult {
        try ProcessRunner.run(
            "curl", ["-sS", "--http1.1", "--max-time", "15", "--cacert", pki.caCertificatePath] + arguments,
            input: input, timeout: 20)
    }

    /// Runs `openssl s_client` against the server with `arguments` added.
    func sClient(_ arguments: [String], input: [UInt8] = [], timeout: TimeInterval = 15) throws -> ProcessResult {
        try ProcessRunner.run(
            "openssl", ["s_client", "-connect", "127.0.0.1:\(port)", "-CAfile", pki.caCertificatePath] + arguments,
            input: input, timeout: timeout)
    }
}

/// An `openssl s_client` kept running with its standard input open, for tests that hold a
/// connection while doing something else.
final class OpenTLSSession {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()

    init(port: Int, caPath: String) throws {
        process.executableURL = URL(fileURLWithPath: try ProcessRunner.resolve("openssl"))
        process.arguments = ["s_client", "-quiet", "-connect", "127.0.0.1:\(port)", "-CAfile", caPath]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// Sends `request`, then waits at most `timeout` seconds for the server to close and
    /// returns everything it sent.
    func exchange(_ request: String, timeout: TimeInterval = 10) throws -> String {
        try input.fileHandleForWriting.write(contentsOf: Data(request.utf8))
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline {
            usleep(10_000)
        }
        if process.isRunning {
            process.terminate()
        }
        process.waitUntilExit()
        return String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    func terminate() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
}
