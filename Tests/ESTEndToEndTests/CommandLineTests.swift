import Foundation
import PKI
import Testing
import TestSupport

@Suite("estgate command line")
struct CommandLineTests {
    @Test("ca init writes a verifiable PKI")
    func caInit() throws {
        let directory = try TemporaryDirectory(prefix: "ca-init")
        defer { directory.remove() }
        let pkiPath = directory.file("pki")

        let result = try ProcessRunner.run(GatewayProcess.executablePath, ["ca", "init", "--dir", pkiPath, "--key-type", "rsa2048"])
        #expect(result.exitCode == 0, "\(result.errorOutput)")

        for key in ["root-ca.key", "issuing-ca.key", "server.key"] {
            let attributes = try FileManager.default.attributesOfItem(atPath: pkiPath + "/" + key)
            #expect((attributes[.posixPermissions] as? Int) == 0o600, "\(key)")
        }
        let verify = try ProcessRunner.run(
            "openssl", ["verify", "-CAfile", pkiPath + "/ca-chain.pem", "-purpose", "sslserver", pkiPath + "/server.pem"])
        #expect(verify.exitCode == 0, "\(verify.output) \(verify.errorOutput)")
        let key = try ProcessRunner.check("openssl", ["pkey", "-in", pkiPath + "/issuing-ca.key", "-noout", "-text"]).output
        #expect(key.contains("2048 bit"))
    }

    @Test("usage errors exit 2 naming the value")
    func usageErrors() throws {
        let badKeyType = try ProcessRunner.run(GatewayProcess.executablePath, ["ca", "init", "--key-type", "dsa"])
        #expect(badKeyType.exitCode == 2)
        #expect(badKeyType.errorOutput.contains("invalid value \"dsa\" for --key-type"))

        let unknown = try ProcessRunner.run(GatewayProcess.executablePath, ["serve", "--lisen", "127.0.0.1:1"])
        #expect(unknown.exitCode == 2)
        #expect(unknown.errorOutput.contains("--lisen"))
    }

    @Test("bad listen address creates nothing")
    func badListenAddress() throws {
        let directory = try TemporaryDirectory(prefix: "bad-listen")
        defer { directory.remove() }

        for address in ["nothost", "127.0.0.1:99999", "::1:8443"] {
            let result = try ProcessRunner.run(
                GatewayProcess.executablePath, ["serve", "--data-dir", directory.file("data"), "--listen", address])
            #expect(result.exitCode == 2, "\(address): \(result.errorOutput)")
            #expect(result.errorOutput.contains("invalid value \"\(address)\" for --listen"), "\(result.errorOutput)")
            #expect(!FileManager.default.fileExists(atPath: directory.file("data")), "\(address)")
        }
    }

    @Test("bad configured listen address creates nothing")
    func badConfiguredListenAddress() throws {
        let directory = try TemporaryDirectory(prefix: "bad-listen-config")
        defer { directory.remove() }
        let path = directory.file("config.json")
        try "{\"listen\": [\"127.0.0.1:99999\"]}".write(toFile: path, atomically: true, encoding: .utf8)

        let result = try ProcessRunner.run(
            GatewayProcess.executablePath, ["serve", "--config", path, "--data-dir", directory.file("data")])
        #expect(result.exitCode == 1)
        #expect(result.errorOutput.contains("invalid listen address \"127.0.0.1:99999\""), "\(result.errorOutput)")
        #expect(!FileManager.default.fileExists(atPath: directory.file("data")))
    }

    @Test("bad configuration exits 1 naming the key")
    func badConfiguration() throws {
        let directory = try TemporaryDirectory(prefix: "bad-config")
        defer { directory.remove() }
        let path = directory.file("config.json")
        try "{\"domains\": [{\"name\": \"a\", \"retryAfter\": 5}]}".write(toFile: path, atomically: true, encoding: .utf8)

        let result = try ProcessRunner.run(
            GatewayProcess.executablePath, ["serve", "--config", path, "--data-dir", directory.file("data"), "--listen", "127.0.0.1:0"])
        #expect(result.exitCode == 1)
        #expect(result.errorOutput.contains("unknown setting domains[...].retryAfter"))
        #expect(!FileManager.default.fileExists(atPath: directory.file("data")))
    }

    @Test("invalid csrAttributes exit 1 naming the value")
    func invalidCSRAttributes() throws {
        let directory = try TemporaryDirectory(prefix: "bad-oid")
        defer { directory.remove() }
        let path = directory.file("config.json")
        try "{\"domains\": [{\"name\": \"default\", \"csrAttributes\": [\"not-an-oid\"]}]}"
            .write(toFile: path, atomically: true, encoding: .utf8)

        let result = try ProcessRunner.run(
            GatewayProcess.executablePath, ["serve", "--config", path, "--data-dir", directory.file("data"), "--listen", "127.0.0.1:0"])
        #expect(result.exitCode == 1)
        #expect(result.errorOutput.contains("domain \"default\" csrAttributes is invalid"))
        #expect(result.errorOutput.contains("not-an-oid"))
    }

    @Test("busy port exits 1 naming the address")
    func busyPort() throws {
        let first = try EndToEndGateway()
        let address = "127.0.0.1:\(first.process.port)"
        let result = try ProcessRunner.run(
            GatewayProcess.executablePath, ["serve", "--data-dir", first.directory.file("second"), "--listen", address])
        #expect(result.exitCode == 1)
        #expect(result.errorOutput.contains("listening on \(address) failed: bind failed: Address already in use"))
        // The first gateway keeps serving.
        let response = try CurlResponse.fetch(first.url("cacerts"), caFile: first.caChain)
        #expect(response.status == 200)
    }

    @Test("json log lines parse")
    func jsonLogs() throws {
        let directory = try TemporaryDirectory(prefix: "json-logs")
        defer { directory.remove() }
        let gateway = try GatewayProcess(dataDirectory: directory.file("data"), extraArguments: ["--log-format", "json"])
        let response = try CurlResponse.fetch(gateway.baseURL + "/cacerts", caFile: gateway.caChainPath)
        #expect(response.status == 200)
        #expect(gateway.stop() == 0)

        let lines = gateway.log.split(separator: "\n")
        #expect(!lines.isEmpty)
        var messages: [String] = []
        var started: [String: String]?
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String]
            #expect(object?["level"] != nil, "\(line)")
            messages.append(object?["msg"] ?? "")
            if object?["msg"] == "gateway started" {
                started = object
            }
        }
        #expect(messages.contains("gateway started"))
        #expect(started?["tls.session_resumption"] == "true")
        #expect(messages.contains("request completed"))
        #expect(messages.contains("gateway stopped"))
        // The demo password is never logged.
        #expect(!gateway.log.contains(try gateway.demoPassword()))
    }

    @Test("enrollment log lines name the request")
    func enrollmentLogLines() throws {
        let directory = try TemporaryDirectory(prefix: "decision-logs")
        defer { directory.remove() }
        let gateway = try GatewayProcess(dataDirectory: directory.file("data"), extraArguments: ["--log-format", "json"])
        let (keyCommand, enrollCommand) = try Self.printedCommands(gateway.output)
        #expect(try ProcessRunner.run("bash", ["-c", keyCommand], currentDirectory: directory.path).exitCode == 0)
        let enroll = try ProcessRunner.run("bash", ["-c", enrollCommand], currentDirectory: directory.path)
        #expect(enroll.output.hasPrefix("HTTP/1.1 202"), "\(enroll.output)")
        let csr = try CertificateSigningRequest(
            pemEncoded: String(contentsOfFile: directory.file("device.csr"), encoding: .utf8))
        #expect(gateway.stop() == 0)

        let records = gateway.log.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String]
        }
        let opened = try #require(records.first { $0["msg"] == "enrollment request opened" }, "\(gateway.log)")
        let decided = try #require(records.first { $0["msg"] == "enrollment decided" }, "\(gateway.log)")
        let completed = try #require(
            records.first { $0["msg"] == "request completed" && $0["path"]?.hasSuffix("/simpleenroll") == true }, "\(gateway.log)")
        let requestID = try #require(opened["request.id"])
        #expect(decided["request.id"] == requestID)
        #expect(decided["csr.fingerprint"] == String(csr.fingerprint.prefix(12)))
        #expect(decided["device"] == "demo-device")
        #expect(opened["domain"] != nil)
        #expect(decided["domain"] == opened["domain"])
        #expect(decided["http.status"] == "202")
        // The decision and the access line of one request share its HTTP request id.
        #expect(completed["http.request.id"] != nil)
        #expect(decided["http.request.id"] == completed["http.request.id"])
        #expect(completed["status"] == "202")
        #expect(completed["method"] == "POST")
    }

    @Test("serve commands work without the password")
    func quickStartCommands() throws {
        let directory = try TemporaryDirectory(prefix: "quick-start")
        defer { directory.remove() }
        let gateway = try GatewayProcess(dataDirectory: directory.file("data"))
        defer { gateway.stop() }
        let output = gateway.output
        let password = try gateway.demoPassword()

        #expect(!output.contains(password))
        let (keyCommand, enrollCommand) = try Self.printedCommands(output)

        // The printed commands run as a user would paste them, from a shell in a scratch directory.
        let key = try ProcessRunner.run("bash", ["-c", keyCommand], currentDirectory: directory.path)
        #expect(key.exitCode == 0, "\(key.errorOutput)")
        let enroll = try ProcessRunner.run("bash", ["-c", enrollCommand], currentDirectory: directory.path)
        #expect(enroll.exitCode == 0, "\(enroll.errorOutput)")
        #expect(enroll.output.hasPrefix("HTTP/1.1 202"), "\(enroll.output)")
    }

    /// Returns the key and enrollment commands that `serve` prints for the demo device.
    private static func printedCommands(_ output: String) throws -> (key: String, enroll: String) {
        let lines = output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let key = try #require(lines.first { $0.hasPrefix("openssl req ") }, "no openssl req line in:\n\(output)")
        let enroll = try #require(lines.first { $0.hasPrefix("curl --cacert ") }, "no curl line in:\n\(output)")
        return (key, enroll)
    }
}
