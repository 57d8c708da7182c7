import Foundation
import Testing
import TestSupport

@Suite("EST bad input")
struct BadInputTests {
    @Test("each bad body gets its status and reason")
    func badBodies() throws {
        let gateway = try EndToEndGateway()
        let credentials = try gateway.demoCredentials()
        let (_, csrPath) = try gateway.makeCSR(name: "good")
        let goodCSR = try String(contentsOfFile: csrPath, encoding: .utf8)

        // A CSR whose signature is broken: flip one base64 character near the end of the PEM body.
        var lines = goodCSR.split(separator: "\n").map(String.init)
        let lastBody = lines.count - 2
        var characters = Array(lines[lastBody])
        characters[2] = characters[2] == "A" ? "B" : "A"
        lines[lastBody] = String(characters)
        let brokenSignature = lines.joined(separator: "\n") + "\n"

        let cases: [(name: String, body: [UInt8], contentType: String, status: Int, reason: String)] = [
            ("not base64", Array("this is not base64 at all!".utf8), "application/pkcs10", 400, "the request body is not a valid CSR"),
            ("base64 of garbage", Array("Z2FyYmFnZSBieXRlcyBoZXJl".utf8), "application/pkcs10", 400, "the request body is not a valid CSR"),
            ("broken signature", Array(brokenSignature.utf8), "application/pkcs10", 400, ""),
            ("wrong content type", Array(goodCSR.utf8), "text/plain", 415, "Content-Type text/plain is not supported; expected application/pkcs10\n"),
            ("empty body", [], "application/pkcs10", 400, "the request body is empty; expected a base64-encoded PKCS#10 CSR\n"),
        ]
        for testCase in cases {
            let response = try gateway.post("simpleenroll", body: testCase.body, credentials: credentials, contentType: testCase.contentType)
            #expect(response.status == testCase.status, "\(testCase.name): \(response.text)")
            #expect(response.headers["content-type"] == "text/plain; charset=utf-8", "\(testCase.name)")
            #expect(response.text.hasPrefix(testCase.reason), "\(testCase.name): \(response.text)")
            #expect(response.text.split(separator: "\n").count == 1, "\(testCase.name): one line")
        }

        // Nothing above opened a request.
        let list = try gateway.estgate(["requests", "list", "--json"])
        let requests = try #require(try JSONSerialization.jsonObject(with: Data(list.standardOutput)) as? [[String: Any]])
        #expect(requests.isEmpty)

        // The server still serves.
        let pending = try gateway.simpleEnroll(csrPath: csrPath, credentials: credentials)
        #expect(pending.status == 202)
    }

    @Test("a pending CSR resent is checked like a new one")
    func pendingResentChecked() throws {
        let gateway = try EndToEndGateway()
        let credentials = try gateway.demoCredentials()
        let (_, csrPath) = try gateway.makeCSR(name: "pending")
        let body = Array(try String(contentsOfFile: csrPath, encoding: .utf8).utf8)

        let first = try gateway.post("simpleenroll", body: body, credentials: credentials)
        let wrongType = try gateway.post("simpleenroll", body: body, credentials: credentials, contentType: "text/plain")
        let wrongPassword = try gateway.post("simpleenroll", body: body, credentials: "demo-device:not-the-password")
        let again = try gateway.post("simpleenroll", body: body, credentials: credentials)

        #expect(first.status == 202, "\(first.text)")
        #expect(wrongType.status == 415, "\(wrongType.text)")
        #expect(wrongPassword.status == 401, "\(wrongPassword.text)")
        #expect(again.status == 202, "\(again.text)")
        #expect(again.text == first.text)
    }

    @Test("oversized body is 413")
    func oversizedBody() throws {
        let gateway = try EndToEndGateway()
        let body = Array(repeating: UInt8(ascii: "A"), count: 200 * 1024)
        let response = try gateway.post("simpleenroll", body: body, credentials: try gateway.demoCredentials())
        #expect(response.status == 413)
        let after = try CurlResponse.fetch(gateway.url("cacerts"), caFile: gateway.caChain)
        #expect(after.status == 200)
    }

    @Test("unknown domain, profile and operation are 404")
    func notFound() throws {
        let gateway = try EndToEndGateway()
        let domain = try CurlResponse.fetch(gateway.url("cacerts", label: "nowhere"), caFile: gateway.caChain)
        #expect(domain.status == 404)
        #expect(domain.text == "unknown EST domain \"nowhere\"\n")

        let profile = try CurlResponse.fetch(gateway.url("cacerts", label: "default/server"), caFile: gateway.caChain)
        #expect(profile.status == 404)
        #expect(profile.text == "unknown certificate profile \"server\" in EST domain \"default\"\n")

        let fullcmc = try gateway.post("fullcmc", body: Array("x".utf8), credentials: nil, contentType: "application/pkcs7-mime")
        #expect(fullcmc.status == 501)

        let method = try CurlResponse.fetch(gateway.url("simpleenroll"), caFile: gateway.caChain)
        #expect(method.status == 405)
        #expect(method.headers["allow"] == "POST")
    }

    @Test("csrattrs without attributes is 204")
    func csrattrsEmpty() throws {
        let gateway = try EndToEndGateway()
        let response = try CurlResponse.fetch(gateway.url("csrattrs"), caFile: gateway.caChain)
        #expect(response.status == 204)
        #expect(response.body.isEmpty)
    }

    @Test("csrattrs with attributes parses")
    func csrattrsConfigured() throws {
        let gateway = try EndToEndGateway(configuration: """
            {"domains": [{"name": "default", "csrAttributes": ["2.5.4.5", "ecdsa-with-SHA256"]}]}
            """)
        let response = try CurlResponse.fetch(gateway.url("csrattrs"), caFile: gateway.caChain)
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "application/csrattrs")
        let der = try #require(Data(base64Encoded: response.text, options: .ignoreUnknownCharacters))
        let derPath = gateway.directory.file("attrs.der")
        try der.write(to: URL(fileURLWithPath: derPath))
        let parsed = try ProcessRunner.check("openssl", ["asn1parse", "-inform", "DER", "-in", derPath]).output
        #expect(parsed.contains("serialNumber"))
        #expect(parsed.contains("ecdsa-with-SHA256"))
    }
}
