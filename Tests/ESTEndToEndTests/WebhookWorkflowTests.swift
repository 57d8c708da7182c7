import Foundation
import Testing
import TestSupport

@Suite("EST with a webhook workflow")
struct WebhookWorkflowTests {
    @Test("webhook approval issues on the next poll")
    func webhookApproves() throws {
        let sink = try StepsHTTPSink(responses: [
            StepsHTTPSink.Response(status: 200, body: "{\"decision\": \"approve\", \"reason\": \"known serial\"}")
        ])
        defer { sink.stop() }

        let configuration = """
            {"domains": [{"name": "hooked", "ca": "demo-issuing-ca", "authentication": "basic",
                          "retryAfterSeconds": 60, "automaticRetryAfterSeconds": 1}]}
            """
        let gateway = try EndToEndGateway(configuration: configuration)
        let definitionPath = gateway.directory.file("hook.json")
        try """
            {"events": [{"protocol": "est", "operation": "simpleenroll"}],
             "steps": [{"id": "inventory", "type": "Webhook", "params": {"url": "\(sink.url)/hook", "timeout_seconds": 5}}]}
            """.write(toFile: definitionPath, atomically: true, encoding: .utf8)
        let imported = try gateway.estgate(["workflows", "import", definitionPath, "--name", "inventory-check", "--publish"])
        #expect(imported.exitCode == 0, "\(imported.errorOutput)")
        let scoped = try gateway.estgate(["workflows", "scope", "add", "inventory-check", "--domain", "hooked"])
        #expect(scoped.exitCode == 0, "\(scoped.errorOutput)")
        let added = try gateway.estgate(["devices", "add", "pump-3", "--domain", "hooked", "--password-stdin"], input: "pump-secret\n")
        #expect(added.exitCode == 0, "\(added.errorOutput)")

        let (_, csrPath) = try gateway.makeCSR(name: "pump", commonName: "pump-3")
        let first = try gateway.simpleEnroll(csrPath: csrPath, credentials: "pump-3:pump-secret", label: "hooked")
        #expect(first.status == 202, "\(first.text)")
        // Only an automatic step is pending, so the response asks the device to come back soon.
        #expect(first.headers["retry-after"] == "1")

        // The background worker calls the webhook; poll (at most 20 s) until the decision lands.
        var final = first
        let deadline = Date().addingTimeInterval(20)
        while final.status == 202 && Date() < deadline {
            usleep(300_000)
            final = try gateway.simpleEnroll(csrPath: csrPath, credentials: "pump-3:pump-secret", label: "hooked")
        }
        #expect(final.status == 200, "\(final.text)")

        let requests = sink.requests
        #expect(requests.count == 1)
        let payload = try JSONSerialization.jsonObject(with: requests.first?.body ?? Data()) as? [String: Any]
        #expect(payload != nil)
        #expect(gateway.process.log.contains("msg=\"background workflow step ran\""))
    }
}
