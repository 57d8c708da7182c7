import Foundation
import TestSupport
import Testing
import Workflows

@Suite("Webhook step")
struct WebhookStepTests {
    func context(attempt: Int = 1) -> StepExecutionContext {
        let created = Date(timeIntervalSince1970: 1_800_000_000)
        return StepExecutionContext(
            instanceID: "instance-7", requestID: "request-9", payload: ["commonName": "dev-42"],
            variables: ["ticket": "T-1"], attempt: attempt, instanceCreatedAt: created, now: created)
    }

    func step(_ url: String, _ extra: [String: JSONValue] = [:]) -> WorkflowStep {
        WorkflowStep(id: "hook", type: "Webhook", params: JSONValue.object(["url": .string(url)]).merging(extra))
    }

    @Test("webhook approve decision")
    func approveDecision() throws {
        let sink = try StepsHTTPSink(responses: [.init(status: 200, body: #"{"decision":"approve","reason":"known device"}"#)])
        defer { sink.stop() }
        let url = sink.url + "/hook"

        let outcome = WebhookStep().execute(step(url, ["bearer_token": "t0ken"]), context: context())

        #expect(outcome == .approve(
            reason: "known device",
            context: ["url": .string(url), "attempt": 1, "status": 200, "decision": "approve", "reason": "known device"]))
        let request = try #require(sink.requests.first)
        #expect(request.method == "POST")
        #expect(request.path == "/hook")
        #expect(request.headers["content-type"] == "application/json")
        #expect(request.headers["authorization"] == "Bearer t0ken")
        let body = try JSONDecoder().decode(JSONValue.self, from: request.body)
        #expect(body == [
            "requestID": "request-9", "instanceID": "instance-7", "stepID": "hook", "attempt": 1,
            "payload": ["commonName": "dev-42"], "vars": ["ticket": "T-1"],
        ])
    }

    @Test("webhook reject decision")
    func rejectDecision() throws {
        let sink = try StepsHTTPSink(responses: [.init(status: 201, body: #"{"decision":"reject"}"#)])
        defer { sink.stop() }
        let url = sink.url + "/hook"

        let outcome = WebhookStep().execute(
            step(url, ["basic": ["username": "estgate", "password": "s3cret"]]), context: context())

        #expect(outcome == .reject(
            reason: "rejected by webhook \(url)",
            context: ["url": .string(url), "attempt": 1, "status": 201, "decision": "reject"]))
        #expect(sink.requests.first?.headers["authorization"] == "Basic ZXN0Z2F0ZTpzM2NyZXQ=")
    }

    @Test("webhook plain 200 passes")
    func plainSuccessPasses() throws {
        let sink = try StepsHTTPSink(responses: [.init(status: 200), .init(status: 204, body: #"{"note":"ok"}"#)])
        defer { sink.stop() }
        let url = sink.url + "/hook"

        #expect(WebhookStep().execute(step(url), context: context()) == .pass(
            context: ["url": .string(url), "attempt": 1, "status": 200]))
        #expect(WebhookStep().execute(step(url), context: context()).transitionName == .pass)
    }

    @Test("webhook 500 retries then fails")
    func serverErrorRetriesThenFails() throws {
        let sink = try StepsHTTPSink(responses: [.init(status: 500, body: "boom")])
        defer { sink.stop() }
        let url = sink.url + "/hook"
        let params: [String: JSONValue] = ["retries": 2, "retry_delay_seconds": 7]
        let reason = "webhook POST \(url) failed: HTTP status 500"

        #expect(WebhookStep().execute(step(url, params), context: context(attempt: 1)) == .retry(
            after: 7, reason: reason, context: ["url": .string(url), "attempt": 1, "status": 500]))
        #expect(WebhookStep().execute(step(url, params), context: context(attempt: 2)).context["status"] == 500)
        #expect(WebhookStep().execute(step(url, params), context: context(attempt: 3)) == .fail(
            reason: reason, context: ["url": .string(url), "attempt": 3, "status": 500]))
        #expect(sink.requests.count == 3)
    }

    @Test("webhook timeout fails")
    func timeoutFails() throws {
        let sink = try StepsHTTPSink(responses: [.init(status: 200, delay: 4)])
        defer { sink.stop() }
        let url = sink.url + "/hook"
        let started = Date()

        let outcome = WebhookStep().execute(step(url, ["timeout_seconds": 1, "retries": 0]), context: context())

        #expect(outcome == .fail(
            reason: "webhook POST \(url) failed: timed out after 1 s",
            context: ["url": .string(url), "attempt": 1, "error": "timed out after 1 s"]))
        #expect(Date().timeIntervalSince(started) < 3.5)
    }

    @Test("webhook redirect is not followed")
    func redirectNotFollowed() throws {
        let target = try StepsHTTPSink(responses: [.init(status: 200, body: #"{"decision":"approve"}"#)])
        defer { target.stop() }
        let sink = try StepsHTTPSink(responses: [.init(status: 307, headers: ["Location": target.url + "/elsewhere"])])
        defer { sink.stop() }
        let url = sink.url + "/hook"

        let outcome = WebhookStep().execute(step(url, ["bearer_token": "t0ken", "retries": 0]), context: context())

        #expect(outcome == .fail(
            reason: "webhook POST \(url) failed: HTTP status 307",
            context: ["url": .string(url), "attempt": 1, "status": 307]))
        #expect(target.requests.isEmpty)
    }

    @Test("webhook connection refused retries")
    func connectionRefusedRetries() throws {
        let port = try StepsTCPListener().port
        let url = "http://127.0.0.1:\(port)/hook"

        #expect(WebhookStep().execute(step(url, ["retry_delay_seconds": 1]), context: context()) == .retry(
            after: 1, reason: "webhook POST \(url) failed: connection refused",
            context: ["url": .string(url), "attempt": 1, "error": "connection refused"]))
    }

    @Test("webhook params validation")
    func paramsValidation() {
        let params: JSONValue = [
            "url": "https://user:pw@hooks.example.com/x", "retries": 11, "bearer_token": "a\nb", "basic": ["username": "a:b", "password": "p"],
        ]

        #expect(WebhookStep().validate(params: params, stepID: "hook").map(\.description) == [
            #"step "hook": params.url: must not contain credentials (use basic or bearer_token)"#,
            #"step "hook": params.retries: 11 is out of range 0...10"#,
            #"step "hook": params.bearer_token: must not contain CR or LF"#,
            #"step "hook": params.basic.username: must not contain ":""#,
        ])
        #expect(WebhookStep().validate(params: [:], stepID: "hook").map(\.description) == [
            #"step "hook": params.url: missing"#
        ])
    }
}
