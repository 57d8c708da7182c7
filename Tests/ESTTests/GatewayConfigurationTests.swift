import Foundation
import Testing

@testable import EST

@Suite("GatewayConfiguration")
struct GatewayConfigurationTests {
    @Test("empty object keeps defaults")
    func emptyObject() throws {
        let configuration = try GatewayConfiguration.decode(Data("{}".utf8), source: "test.json")
        #expect(configuration == GatewayConfiguration())
    }

    @Test("full file decodes")
    func fullFile() throws {
        let json = """
            {"dataDirectory": "/var/lib/estgate", "listen": ["127.0.0.1:9443", "[::1]:9443"],
             "logging": {"format": "json", "level": "debug"}, "tls": {"sessionResumption": false},
             "limits": {"maximumBodyBytes": 32768},
             "domains": [{"name": "factory", "ca": "issuing", "authentication": "certificate",
                          "retryAfterSeconds": 120, "csrAttributes": ["2.5.4.5"], "profiles": ["device"]}]}
            """
        let configuration = try GatewayConfiguration.decode(Data(json.utf8), source: "test.json")
        #expect(configuration.listen == ["127.0.0.1:9443", "[::1]:9443"])
        #expect(configuration.logging?.format == "json")
        #expect(configuration.tls?.sessionResumption == false)
        #expect(configuration.limits?.maximumBodyBytes == 32768)
        #expect(configuration.domains?.first?.authentication == "certificate")
        #expect(configuration.domains?.first?.retryAfterSeconds == 120)
    }

    @Test("invalid files name the setting", arguments: [
        ("{\"listn\": []}", "configuration file c.json: unknown setting listn; known settings here: cas, dataDirectory, database, domains, handlerThreads, limits, listen, logging, profiles, tls"),
        ("{\"tls\": {\"cert\": \"x\"}}", "configuration file c.json: unknown setting tls.cert; known settings here: certificate, clientCertificates, privateKey, sessionResumption, trustAnchors"),
        ("{\"tls\": {\"sessionResumption\": \"no\"}}", "configuration file c.json: tls.sessionResumption must be true or false, not \"no\""),
        ("{\"domains\": [{\"name\": \"a\", \"retry\": 1}]}", "configuration file c.json: unknown setting domains[...].retry; known settings here: authentication, autoRegisterDevices, automaticRetryAfterSeconds, base64LineLength, ca, channelBinding, csrAttributes, defaultProfile, name, profiles, retryAfterSeconds, trustAnchors"),
        ("{\"listen\": \"127.0.0.1:1\"}", "configuration file c.json: listen must be a list, not \"127.0.0.1:1\""),
        ("{\"listen\": [\"127.0.0.1:1\", 8443]}", "configuration file c.json: listen[1] must be a string, not 8443"),
        ("{\"domains\": [{\"name\": null}]}", "configuration file c.json: domains[0].name must be a string, not null"),
        (
            "{\"tls\": {\"sessionResumption\": \"" + String(repeating: "a", count: 70) + "\"}}",
            "configuration file c.json: tls.sessionResumption must be true or false, not \"" + String(repeating: "a", count: 56) + "..."
        ),
        ("{\"domains\": [{\"ca\": \"x\"}]}", "configuration file c.json: domains[0].name is missing"),
        ("{\"logging\": {\"format\": \"xml\"}}", "configuration file c.json: logging.format \"xml\" is invalid; use logfmt or json"),
        ("{\"domains\": [{\"name\": \"a\", \"authentication\": \"token\"}]}", "configuration file c.json: domain \"a\" authentication \"token\" is invalid; use one of certificate, basic, certificate-or-basic, certificate-and-basic"),
        ("{\"domains\": [{\"name\": \"a\", \"retryAfterSeconds\": 0}]}", "configuration file c.json: domain \"a\" retryAfterSeconds 0 is outside 1...86400"),
    ])
    func invalid(json: String, message: String) {
        #expect(throws: GatewayError.configuration(message)) {
            try GatewayConfiguration.decode(Data(json.utf8), source: "c.json")
        }
    }

    @Test("not JSON rejected")
    func notJSON() {
        #expect(throws: GatewayError.self) {
            try GatewayConfiguration.decode(Data("listen = 1".utf8), source: "c.json")
        }
    }
}
