import Foundation

/// The `Email` step: sends a notification through an SMTP relay and passes once the relay
/// accepts the message (250 after DATA).
///
/// params: `{"smtp_host", "smtp_port" (default 25), "starttls" (default false), "tls_ca_file",
/// "from", "to": [...], "subject", "body", "username", "password", "timeout_seconds" (default 30,
/// max 120), "retries" (default 2), "retry_delay_seconds" (default 60)}`. Subject and body take
/// `{{requestID}}`-style placeholders (see `EmailMessage`). Credentials require `starttls`.
/// A transient failure (4xx reply, network error, timeout) retries while attempts remain. A 5xx
/// reply or a TLS verification failure fails at once, because sending again cannot succeed.
public struct EmailStep: ConfiguredStep {
    public let stepType = "Email"
    public let runsInBackground = true

    struct Configuration {
        var submission: SMTPSubmission
        var subject: String
        var body: String
        var retries: Int
        var retryDelay: TimeInterval
    }

    public init() {}

    public func validate(params: JSONValue, stepID: String) -> [DefinitionError] {
        validateConfiguration(params: params, stepID: stepID)
    }

    /// Blocks for at most `timeout_seconds`.
    public func execute(_ step: WorkflowStep, context: StepExecutionContext) -> StepOutcome {
        executeConfigured(step, context: context)
    }

    func execute(_ step: WorkflowStep, configuration: Configuration, context: StepExecutionContext) -> StepOutcome {
        var submission = configuration.submission
        let message = EmailMessage(
            from: submission.from, to: submission.recipients,
            subject: EmailMessage.render(configuration.subject, stepID: step.id, context: context),
            body: EmailMessage.render(configuration.body, stepID: step.id, context: context))
        let messageID = "\(context.instanceID).\(step.id).\(context.attempt)@estgate"
        submission.message = message.rendered(date: context.now, messageID: messageID)

        var stepContext: [String: JSONValue] = [
            "relay": .string("\(submission.host):\(submission.port)"),
            "to": .array(submission.recipients.map { .string($0) }),
            "messageID": .string(messageID),
            "attempt": .number(Double(context.attempt)),
        ]
        do {
            let reply = try SMTPClient.deliver(submission)
            stepContext["reply"] = .string("\(reply.code) \(reply.lines.joined(separator: " "))")
            return .pass(context: .object(stepContext))
        } catch {
            stepContext["error"] = .string(error.message)
            let reason = "email via \(submission.host):\(submission.port) failed: \(error.message)"
            if error.kind == .transient && context.attempt <= configuration.retries {
                return .retry(after: configuration.retryDelay, reason: reason, context: .object(stepContext))
            }
            return .fail(reason: reason, context: .object(stepContext))
        }
    }

    static func configuration(params: JSONValue, stepID: String) -> Result<Configuration, DefinitionErrors> {
        var reader = StepParamsReader(
            params: params, stepID: stepID,
            allowedKeys: [
                "smtp_host", "smtp_port", "starttls", "tls_ca_file", "from", "to", "subject", "body", "username",
                "password", "timeout_seconds", "retries", "retry_delay_seconds",
            ])
        let host = reader.singleLineString("smtp_host", required: true)
        if let host, host.isEmpty || host.contains(where: { $0 == " " || $0 == "/" }) {
            reader.report("params.smtp_host", "invalid host name \"\(host)\"")
        }
        let port = reader.integer("smtp_port", in: 1...65_535) ?? 25
        let startTLS = reader.bool("starttls") ?? false
        let caFile = reader.string("tls_ca_file", required: false)
        if caFile != nil && !startTLS {
            reader.report("params.tls_ca_file", "requires starttls to be true")
        }
        let from = reader.singleLineString("from", required: true)
        if let from, !isEmailAddress(from) {
            reader.report("params.from", "invalid email address \"\(from)\"")
        }
        let recipients = readRecipients(reader: &reader)
        let subject = reader.singleLineString("subject", required: true)
        if let subject, subject.count > EmailMessage.maximumSubjectLength {
            reader.report("params.subject", "longer than \(EmailMessage.maximumSubjectLength) characters")
        }
        let body = reader.string("body", required: true)
        for (key, template) in [("subject", subject), ("body", body)] {
            for name in EmailMessage.placeholders(in: template ?? "") where !EmailMessage.isKnownPlaceholder(name) {
                reader.report("params.\(key)", "unknown placeholder \"{{\(name)}}\"")
            }
        }
        let credentials = readCredentials(startTLS: startTLS, reader: &reader)
        let timeout = reader.integer("timeout_seconds", in: 1...120) ?? 30
        let retries = reader.integer("retries", in: 0...10) ?? 2
        let retryDelay = reader.integer("retry_delay_seconds", in: 0...86_400) ?? 60

        guard reader.errors.isEmpty, let host, let from, let subject, let body else {
            return .failure(DefinitionErrors(reader.errors))
        }
        let submission = SMTPSubmission(
            host: host, port: port, startTLS: startTLS, caFile: caFile, credentials: credentials, from: from,
            recipients: recipients, message: "", timeout: TimeInterval(timeout))
        return .success(Configuration(
            submission: submission, subject: subject, body: body, retries: retries, retryDelay: TimeInterval(retryDelay)))
    }

    private static func readRecipients(reader: inout StepParamsReader) -> [String] {
        guard let value = reader.value("to") else {
            if reader.params.objectValue != nil {
                reader.report("params.to", "missing")
            }
            return []
        }
        guard let elements = value.arrayValue, !elements.isEmpty else {
            reader.report("params.to", "expected a non-empty array of email addresses")
            return []
        }

        var recipients: [String] = []
        for element in elements {
            guard let address = element.stringValue, isEmailAddress(address) else {
                let shown = element.stringValue.map { "\"\($0)\"" } ?? element.typeName
                reader.report("params.to", "invalid email address \(shown)")
                continue
            }
            recipients.append(address)
        }
        return recipients
    }

    private static func readCredentials(
        startTLS: Bool, reader: inout StepParamsReader
    ) -> (username: String, password: String)? {
        let username = reader.singleLineString("username", required: false)
        let password = reader.string("password", required: false)
        guard username != nil || password != nil else {
            return nil
        }
        guard let username, let password else {
            reader.report(username == nil ? "params.username" : "params.password", "missing (username and password go together)")
            return nil
        }
        guard startTLS else {
            reader.report("params.username", "AUTH PLAIN is only sent after STARTTLS, so starttls must be true")
            return nil
        }
        return (username, password)
    }

    /// Accepts `local@domain` with no whitespace, angle brackets or control characters. The
    /// relay does the full RFC 5321 check when it replies to MAIL FROM and RCPT TO.
    static func isEmailAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, text.count <= 254 else {
            return false
        }
        let forbidden = CharacterSet.whitespacesAndNewlines.union(.controlCharacters).union(CharacterSet(charactersIn: "<>(),;:\\\""))
        return text.unicodeScalars.allSatisfy { !forbidden.contains($0) } && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
    }
}
