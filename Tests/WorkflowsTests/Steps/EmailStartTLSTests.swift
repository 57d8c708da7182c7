import Foundation
import TestSupport
import Testing
import Workflows

/// Runs the Email step against a Python relay that upgrades with STARTTLS, using a certificate
/// the test makes with the openssl CLI.
@Suite("Email step over STARTTLS")
struct EmailStartTLSTests {
    enum RelayError: Error {
        case portNotReported
    }

    struct Relay {
        let process: Process
        let port: Int
        let transcriptPath: String

        /// Waits at most 20 s for the relay to exit and returns its transcript.
        func transcript() throws -> JSONValue {
            let deadline = Date().addingTimeInterval(20)
            while process.isRunning && Date() < deadline {
                usleep(20_000)
            }
            if process.isRunning {
                process.terminate()
            }
            return try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: transcriptPath)))
        }
    }

    static func makeCertificate(in directory: TemporaryDirectory, name: String, address: String = "127.0.0.1") throws {
        try ProcessRunner.check("openssl", [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
            "-subj", "/CN=\(address)", "-addext", "subjectAltName=IP:\(address)",
            "-keyout", directory.file("\(name).key"), "-out", directory.file("\(name).pem"),
        ])
    }

    static func startRelay(in directory: TemporaryDirectory) throws -> Relay {
        let script = StepsFixtures.workflowsDirectory.appendingPathComponent("smtp_starttls_sink.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try ProcessRunner.resolve("python3"))
        process.arguments = [
            script, directory.file("relay.pem"), directory.file("relay.key"), directory.file("port"),
            directory.file("transcript.json"),
        ]
        try process.run()

        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: directory.file("port"), encoding: .utf8), let port = Int(text) {
                return Relay(process: process, port: port, transcriptPath: directory.file("transcript.json"))
            }
            usleep(20_000)
        }
        process.terminate()
        throw RelayError.portNotReported
    }

    func step(port: Int, caFile: String) -> WorkflowStep {
        WorkflowStep(id: "notify", type: "Email", params: [
            "smtp_host": "127.0.0.1", "smtp_port": .number(Double(port)), "starttls": true,
            "tls_ca_file": .string(caFile), "username": "estgate", "password": "relay-pass",
            "from": "estgate@example.com", "to": ["pki@example.com"], "subject": "Pending", "body": "Request {{requestID}}",
        ])
    }

    let context = StepExecutionContext(
        instanceID: "instance-7", requestID: "request-9", payload: [:],
        instanceCreatedAt: Date(timeIntervalSince1970: 1_800_000_000), now: Date(timeIntervalSince1970: 1_800_000_000))

    @Test("STARTTLS then AUTH PLAIN")
    func startTLSThenAuth() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Self.makeCertificate(in: directory, name: "relay")
        let relay = try Self.startRelay(in: directory)

        let outcome = EmailStep().execute(step(port: relay.port, caFile: directory.file("relay.pem")), context: context)

        #expect(outcome.context["reply"] == "250 2.0.0 queued over TLS")
        #expect(outcome.transitionName == .pass)
        let transcript = try relay.transcript()
        let commands = transcript["commands"]?.arrayValue ?? []
        #expect(commands.map { $0["command"]?.stringValue ?? "" } == [
            "EHLO estgate.localdomain", "STARTTLS", "EHLO estgate.localdomain", "AUTH PLAIN",
            "MAIL FROM:<estgate@example.com>", "RCPT TO:<pki@example.com>", "DATA", "QUIT",
        ])
        #expect(commands.map { $0["tls"] == true } == [false, false, true, true, true, true, true, true])
        #expect(transcript["auth"] == ["", "estgate", "relay-pass"])
        #expect(transcript["data"]?.arrayValue?.last == "Request request-9")
    }

    @Test("STARTTLS untrusted certificate fails")
    func untrustedCertificateFails() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Self.makeCertificate(in: directory, name: "relay")
        try Self.makeCertificate(in: directory, name: "other")
        let relay = try Self.startRelay(in: directory)

        let outcome = EmailStep().execute(step(port: relay.port, caFile: directory.file("other.pem")), context: context)

        guard case .fail(let reason, _) = outcome else {
            Issue.record("expected fail, got \(outcome)")
            return
        }
        #expect(reason == "email via 127.0.0.1:\(relay.port) failed: TLS handshake failed: certificate verification failed: self-signed certificate")
        let transcript = try relay.transcript()
        #expect(transcript["auth"] == .null)
        #expect(transcript["commands"]?.arrayValue?.count == 2)
    }

    @Test("STARTTLS address mismatch fails")
    func addressMismatchFails() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Self.makeCertificate(in: directory, name: "relay", address: "127.0.0.2")
        let relay = try Self.startRelay(in: directory)

        let outcome = EmailStep().execute(step(port: relay.port, caFile: directory.file("relay.pem")), context: context)

        guard case .fail(let reason, _) = outcome else {
            Issue.record("expected fail, got \(outcome)")
            return
        }
        #expect(reason == "email via 127.0.0.1:\(relay.port) failed: TLS handshake failed: certificate verification failed: IP address mismatch")
        #expect(try relay.transcript()["auth"] == .null)
    }
}
