import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The `Webhook` step: POSTs the request context as JSON to an HTTP(S) endpoint.
///
/// params: `{"url", "timeout_seconds" (default 10, max 60), "bearer_token" or
/// "basic": {"username", "password"}, "retries" (default 2), "retry_delay_seconds" (default 5)}`.
/// A 2xx response passes, unless its JSON body is `{"decision": "approve"|"reject", "reason"}`,
/// which approves or rejects. A non-2xx status, a connection error or a timeout retries while
/// attempts remain and then fails. Credentials never appear in the context or a reason.
///
/// It uses URLSession from FoundationNetworking rather than a socket client of its own, because
/// URLSession already provides HTTPS with certificate verification against the system roots and
/// chunked responses. The worker thread waits for it synchronously.
public struct WebhookStep: ConfiguredStep {
    public let stepType = "Webhook"
    public let runsInBackground = true

    struct Configuration {
        var url: URL
        var timeout: TimeInterval
        var authorization: String?
        var retries: Int
        var retryDelay: TimeInterval
    }

    public init() {}

    public func validate(params: JSONValue, stepID: String) -> [DefinitionError] {
        validateConfiguration(params: params, stepID: stepID)
    }

    /// Blocks for at most `timeout_seconds` plus a few seconds of slack.
    public func execute(_ step: WorkflowStep, context: StepExecutionContext) -> StepOutcome {
        executeConfigured(step, context: context)
    }

    func execute(_ step: WorkflowStep, configuration: Configuration, context: StepExecutionContext) -> StepOutcome {
        let body: JSONValue = [
            "requestID": .string(context.requestID), "instanceID": .string(context.instanceID),
            "stepID": .string(step.id), "attempt": .number(Double(context.attempt)),
            "payload": context.payload, "vars": context.variables,
        ]
        let response = WebhookClient.post(
            body, to: configuration.url, authorization: configuration.authorization, timeout: configuration.timeout)

        var stepContext: [String: JSONValue] = [
            "url": .string(configuration.url.absoluteString), "attempt": .number(Double(context.attempt)),
        ]
        let problem: String
        switch response {
        case .failure(let error):
            stepContext["error"] = .string(error.message)
            problem = error.message
        case .success(let (status, data)):
            stepContext["status"] = .number(Double(status))
            guard (200..<300).contains(status) else {
                problem = "HTTP status \(status)"
                break
            }
            return Self.decide(data, url: configuration.url, context: &stepContext)
        }

        let reason = "webhook POST \(configuration.url.absoluteString) failed: \(problem)"
        if context.attempt <= configuration.retries {
            return .retry(after: configuration.retryDelay, reason: reason, context: .object(stepContext))
        }
        return .fail(reason: reason, context: .object(stepContext))
    }

    /// Maps a 2xx body to an outcome: a JSON decision approves or rejects, anything else passes.
    static func decide(_ data: Data, url: URL, context: inout [String: JSONValue]) -> StepOutcome {
        guard let json = try? JSONDecoder().decode(JSONValue.self, from: data), let decision = json["decision"] else {
            return .pass(context: .object(context))
        }

        context["decision"] = decision
        let reason = json["reason"]?.stringValue
        if let reason {
            context["reason"] = .string(reason)
        }
        switch decision.stringValue {
        case "approve":
            return .approve(reason: reason, context: .object(context))
        case "reject":
            return .reject(reason: reason ?? "rejected by webhook \(url.absoluteString)", context: .object(context))
        default:
            return .fail(
                reason: "webhook \(url.absoluteString) returned an unknown decision (expected approve or reject)",
                context: .object(context))
        }
    }

    static func configuration(params: JSONValue, stepID: String) -> Result<Configuration, DefinitionErrors> {
        var reader = StepParamsReader(
            params: params, stepID: stepID,
            allowedKeys: ["url", "timeout_seconds", "bearer_token", "basic", "retries", "retry_delay_seconds"])
        let url = reader.string("url", required: true).flatMap { checkURL($0, reader: &reader) }
        let timeout = reader.integer("timeout_seconds", in: 1...60) ?? 10
        let retries = reader.integer("retries", in: 0...10) ?? 2
        let retryDelay = reader.integer("retry_delay_seconds", in: 0...3_600) ?? 5
        let bearerToken = reader.singleLineString("bearer_token", required: false)
        let basic = readBasic(reader: &reader)
        if bearerToken != nil && basic != nil {
            reader.report("params.basic", "cannot be combined with bearer_token")
        }

        guard reader.errors.isEmpty, let url else {
            return .failure(DefinitionErrors(reader.errors))
        }
        let authorization = bearerToken.map { "Bearer \($0)" } ?? basic
        return .success(Configuration(
            url: url, timeout: TimeInterval(timeout), authorization: authorization, retries: retries,
            retryDelay: TimeInterval(retryDelay)))
    }

    private static func checkURL(_ text: String, reader: inout StepParamsReader) -> URL? {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty,
            let url = components.url
        else {
            reader.report("params.url", "invalid URL \"\(text)\" (expected an http or https URL with a host)")
            return nil
        }
        guard components.user == nil && components.password == nil else {
            reader.report("params.url", "must not contain credentials (use basic or bearer_token)")
            return nil
        }
        return url
    }

    /// Returns the `Basic` authorization header value (RFC 7617) for `params.basic`.
    private static func readBasic(reader: inout StepParamsReader) -> String? {
        guard let basic = reader.value("basic") else {
            return nil
        }
        guard let username = basic["username"]?.stringValue, let password = basic["password"]?.stringValue else {
            reader.report("params.basic", "expected an object with string username and password")
            return nil
        }
        guard !username.contains(":") else {
            reader.report("params.basic.username", "must not contain \":\"")
            return nil
        }
        return "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
    }
}
