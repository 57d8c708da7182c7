import Foundation
import TestSupport
import Testing
import Workflows

@Suite("Email step")
struct EmailStepTests {
    func context(commonName: String = "dev-42", attempt: Int = 1) -> StepExecutionContext {
        let created = Date(timeIntervalSince1970: 1_800_000_000)
        return StepExecutionContext(
            instanceID: "instance-7", requestID: "request-9", payload: ["commonName": .string(commonName), "keyBits": 256],
            attempt: attempt, instanceCreatedAt: created, now: created)
    }

    func step(port: Int, _ extra: [String: JSONValue] = [:]) -> WorkflowStep {
        let params: JSONValue = [
            "smtp_host": "127.0.0.1", "smtp_port": .number(Double(port)), "from": "estgate@example.com",
            "to": ["pki@example.com", "ops@example.com"], "subject": "Enrollment {{requestID}} for {{payload.commonName}}",
            "body": "Key bits: {{payload.keyBits}}\n.hidden\n.\nStep {{stepID}} of {{instanceID}}{{vars.none}}",
            "retry_delay_seconds": 30,
        ]
        return WorkflowStep(id: "notify", type: "Email", params: params.merging(extra))
    }

    @Test("email delivered with headers")
    func deliveredWithHeaders() throws {
        let sink = try StepsSMTPSink()
        defer { sink.stop() }

        let outcome = EmailStep().execute(step(port: sink.port), context: context())

        #expect(outcome == .pass(context: [
            "relay": .string("127.0.0.1:\(sink.port)"), "to": ["pki@example.com", "ops@example.com"],
            "messageID": "instance-7.notify.1@estgate", "attempt": 1, "reply": "250 2.0.0 queued",
        ]))
        let delivery = try #require(sink.deliveries.first)
        #expect(delivery.mailFrom == "estgate@example.com")
        #expect(delivery.recipients == ["pki@example.com", "ops@example.com"])
        #expect(delivery.message == [
            "From: <estgate@example.com>",
            "To: <pki@example.com>, <ops@example.com>",
            "Subject: Enrollment request-9 for dev-42",
            "Date: Fri, 15 Jan 2027 08:00:00 +0000",
            "Message-ID: <instance-7.notify.1@estgate>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: 8bit",
            "Auto-Submitted: auto-generated",
            "",
            "Key bits: 256",
            ".hidden",
            ".",
            "Step notify of instance-7",
        ].map { $0 + "\r\n" }.joined())
        #expect(delivery.rawData.contains("\r\n..hidden\r\n..\r\nStep notify"))
        #expect(sink.commands.first == "EHLO estgate.localdomain")
        #expect(sink.commands.last == "QUIT")
    }

    @Test("email subject cannot inject headers")
    func subjectCannotInjectHeaders() throws {
        let sink = try StepsSMTPSink()
        defer { sink.stop() }

        _ = EmailStep().execute(step(port: sink.port), context: context(commonName: "evil\r\nBcc: victim@example.com"))

        let message = try #require(sink.deliveries.first?.message)
        #expect(message.contains("Subject: Enrollment request-9 for evil  Bcc: victim@example.com\r\n"))
        #expect(!message.contains("\r\nBcc:"))
        #expect(sink.deliveries.first?.recipients == ["pki@example.com", "ops@example.com"])
    }

    @Test("email non-ASCII subject is encoded")
    func nonASCIISubjectEncoded() throws {
        let sink = try StepsSMTPSink()
        defer { sink.stop() }

        _ = EmailStep().execute(step(port: sink.port, ["subject": "Zertifikat für {{payload.commonName}}"]), context: context())

        let message = try #require(sink.deliveries.first?.message)
        #expect(message.contains("\r\nSubject: =?UTF-8?B?\(Data("Zertifikat für dev-42".utf8).base64EncodedString())?=\r\n"))
    }

    @Test("email long line is quoted-printable")
    func longLineQuotedPrintable() throws {
        let sink = try StepsSMTPSink()
        defer { sink.stop() }
        let longName = String(repeating: "Gerät=42 ", count: 150) + "\t"

        _ = EmailStep().execute(
            step(port: sink.port, ["body": "Name: {{payload.commonName}}\n.hidden\n= end"]), context: context(commonName: longName))

        let message = try #require(sink.deliveries.first?.message)
        #expect(message.contains("\r\nContent-Transfer-Encoding: quoted-printable\r\n"))
        let body = try #require(message.components(separatedBy: "\r\n\r\n").last)
        #expect(body.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 76 })
        // Python's mail parser, not this package, decodes the body back.
        let decoded = try ProcessRunner.check(
            "python3", ["-c", "import email, sys; sys.stdout.buffer.write(email.message_from_bytes(sys.stdin.buffer.read()).get_payload(decode=True))"],
            input: Array(message.utf8))
        #expect(decoded.output.replacingOccurrences(of: "\r\n", with: "\n") == "Name: \(longName)\n.hidden\n= end\n")
    }

    @Test("email 451 retries then fails")
    func transientReplyRetriesThenFails() throws {
        let sink = try StepsSMTPSink(dataReply: "451 4.3.0 try later")
        defer { sink.stop() }
        let reason = "email via 127.0.0.1:\(sink.port) failed: end of DATA returned 451 4.3.0 try later"

        guard case .retry(let delay, let firstReason, _) = EmailStep().execute(step(port: sink.port), context: context()) else {
            Issue.record("expected retry")
            return
        }
        #expect(delay == 30)
        #expect(firstReason == reason)
        guard case .fail(let finalReason, let stepContext) = EmailStep().execute(step(port: sink.port), context: context(attempt: 3))
        else {
            Issue.record("expected fail")
            return
        }
        #expect(finalReason == reason)
        #expect(stepContext["error"] == "end of DATA returned 451 4.3.0 try later")
        #expect(sink.deliveries.isEmpty)
    }

    @Test("email 550 fails at once")
    func permanentReplyFails() throws {
        let sink = try StepsSMTPSink(dataReply: "550 5.7.1 rejected")
        defer { sink.stop() }

        let outcome = EmailStep().execute(step(port: sink.port), context: context())

        guard case .fail(let reason, _) = outcome else {
            Issue.record("expected fail, got \(outcome)")
            return
        }
        #expect(reason == "email via 127.0.0.1:\(sink.port) failed: end of DATA returned 550 5.7.1 rejected")
    }

    @Test("email STARTTLS required but missing")
    func startTLSMissing() throws {
        let sink = try StepsSMTPSink()
        defer { sink.stop() }

        let outcome = EmailStep().execute(step(port: sink.port, ["starttls": true]), context: context())

        guard case .fail(let reason, _) = outcome else {
            Issue.record("expected fail, got \(outcome)")
            return
        }
        #expect(reason == "email via 127.0.0.1:\(sink.port) failed: relay does not offer STARTTLS")
        #expect(!sink.commands.contains { $0.hasPrefix("MAIL") })
    }

    @Test("email connection refused retries")
    func connectionRefusedRetries() throws {
        let port = try StepsTCPListener().port

        let outcome = EmailStep().execute(step(port: port), context: context())

        guard case .retry(_, let reason, _) = outcome else {
            Issue.record("expected retry, got \(outcome)")
            return
        }
        #expect(reason == "email via 127.0.0.1:\(port) failed: cannot connect to 127.0.0.1:\(port): Connection refused")
    }

    @Test("email params validation")
    func paramsValidation() {
        let params: JSONValue = [
            "smtp_host": "mail example", "smtp_port": 70_000, "from": "estgate", "to": [],
            "subject": "Hi", "body": "x", "password": "p", "tls_ca_file": "/ca.pem",
        ]

        #expect(EmailStep().validate(params: params, stepID: "notify").map(\.description) == [
            #"step "notify": params.smtp_host: invalid host name "mail example""#,
            #"step "notify": params.smtp_port: 70000 is out of range 1...65535"#,
            #"step "notify": params.tls_ca_file: requires starttls to be true"#,
            #"step "notify": params.from: invalid email address "estgate""#,
            #"step "notify": params.to: expected a non-empty array of email addresses"#,
            #"step "notify": params.username: missing (username and password go together)"#,
        ])
    }
}
