import Foundation
import Testing
import TestSupport

@Suite("EST with its own CA configuration")
struct OwnCAConfigurationTests {
    @Test("configured CA gets no demo setup")
    func noDemo() throws {
        let directory = try TemporaryDirectory(prefix: "own-ca")
        defer { directory.remove() }
        let pki = directory.file("corp-pki")
        let created = try ProcessRunner.run(GatewayProcess.executablePath, ["ca", "init", "--dir", pki])
        #expect(created.exitCode == 0, "\(created.errorOutput)")

        let configurationPath = directory.file("config.json")
        try """
            {"cas": [{"name": "corp", "certificate": "\(pki)/issuing-ca.pem", "privateKey": "\(pki)/issuing-ca.key",
                      "chain": "\(pki)/root-ca.pem"}],
             "tls": {"certificate": "\(pki)/server.pem", "privateKey": "\(pki)/server.key"},
             "profiles": [{"name": "sensor", "validityDays": 30, "extendedKeyUsage": ["clientAuth"]}],
             "domains": [{"name": "default", "ca": "corp", "authentication": "basic", "defaultProfile": "sensor"}]}
            """.write(toFile: configurationPath, atomically: true, encoding: .utf8)
        let dataDirectory = directory.file("data")
        let gateway = try GatewayProcess(dataDirectory: dataDirectory, extraArguments: ["--config", configurationPath])
        defer { gateway.stop() }

        #expect(!FileManager.default.fileExists(atPath: dataDirectory + "/demo-device.txt"))
        #expect(!FileManager.default.fileExists(atPath: dataDirectory + "/pki"))

        func estgate(_ arguments: [String], input: String = "") throws -> ProcessResult {
            try ProcessRunner.run(
                GatewayProcess.executablePath, arguments + ["--data-dir", dataDirectory], input: Array(input.utf8))
        }
        let devices = try estgate(["devices", "list", "--json"])
        #expect(try JSONSerialization.jsonObject(with: Data(devices.standardOutput)) as? [Any] != nil)
        #expect((try JSONSerialization.jsonObject(with: Data(devices.standardOutput)) as? [Any])?.isEmpty == true)
        let workflows = try estgate(["workflows", "list", "--json"])
        #expect((try JSONSerialization.jsonObject(with: Data(workflows.standardOutput)) as? [Any])?.isEmpty == true)

        // The configured CA serves cacerts and issues with the configured profile.
        let chain = pki + "/ca-chain.pem"
        let cacerts = try CurlResponse.fetch(gateway.baseURL + "/cacerts", caFile: chain)
        #expect(cacerts.status == 200)
        let added = try estgate(["devices", "add", "probe-1", "--domain", "default", "--password-stdin"], input: "probe-secret\n")
        #expect(added.exitCode == 0, "\(added.errorOutput)")
        let keyPath = directory.file("probe.key")
        let csrPath = directory.file("probe.csr")
        try ProcessRunner.check("openssl", [
            "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", keyPath,
            "-subj", "/CN=probe-1", "-out", csrPath,
        ])
        let issued = try CurlResponse.fetch(
            gateway.baseURL + "/simpleenroll", caFile: chain, body: Array(try Data(contentsOf: URL(fileURLWithPath: csrPath))),
            options: ["-H", "Content-Type: application/pkcs10", "--user", "probe-1:probe-secret"])
        #expect(issued.status == 200, "\(issued.text)")
        let der = try #require(Data(base64Encoded: issued.text, options: .ignoreUnknownCharacters))
        let p7 = directory.file("probe.p7")
        try der.write(to: URL(fileURLWithPath: p7))
        let certificatePath = directory.file("probe-cert.pem")
        try ProcessRunner.check("openssl", ["pkcs7", "-inform", "DER", "-in", p7, "-print_certs", "-out", certificatePath])
        let verify = try ProcessRunner.run("openssl", ["verify", "-CAfile", chain, certificatePath])
        #expect(verify.exitCode == 0, "\(verify.output) \(verify.errorOutput)")
        // The sensor profile sets 30 days of validity.
        let days = try Self.validityDays(certificatePath)
        #expect(days == 30)
    }

    @Test("invalid profile value exits 1 naming it")
    func invalidProfile() throws {
        let directory = try TemporaryDirectory(prefix: "bad-profile")
        defer { directory.remove() }
        let path = directory.file("config.json")
        try "{\"profiles\": [{\"name\": \"sensor\", \"extendedKeyUsage\": [\"clientauth\"]}]}"
            .write(toFile: path, atomically: true, encoding: .utf8)

        let result = try ProcessRunner.run(
            GatewayProcess.executablePath, ["serve", "--config", path, "--data-dir", directory.file("data"), "--listen", "127.0.0.1:0"])
        #expect(result.exitCode == 1)
        #expect(result.errorOutput.contains("profile sensor: extendedKeyUsage \"clientauth\" is not a known name or dotted OID"))
    }

    @Test("invalid log level names the setting")
    func invalidLogLevel() throws {
        let directory = try TemporaryDirectory(prefix: "bad-level")
        defer { directory.remove() }
        let path = directory.file("config.json")
        try "{\"logging\": {\"level\": \"verbose\"}}".write(toFile: path, atomically: true, encoding: .utf8)

        let result = try ProcessRunner.run(
            GatewayProcess.executablePath, ["serve", "--config", path, "--data-dir", directory.file("data"), "--listen", "127.0.0.1:0"])
        #expect(result.exitCode == 1)
        #expect(result.errorOutput.contains("logging.level \"verbose\" is invalid"))
    }

    /// Reads notBefore and notAfter with the openssl CLI and returns the whole days between them,
    /// counting the gateway's 5-minute backdate as part of the first day.
    static func validityDays(_ certificatePath: String) throws -> Int {
        let text = try ProcessRunner.check(
            "openssl", ["x509", "-in", certificatePath, "-noout", "-startdate", "-enddate", "-dateopt", "iso_8601"]).output
        let formatter = ISO8601DateFormatter()
        var dates: [Date] = []
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else {
                continue
            }
            let value = line[line.index(after: equals)...].replacingOccurrences(of: " ", with: "T")
            if let date = formatter.date(from: value) {
                dates.append(date)
            }
        }
        guard dates.count == 2 else {
            throw ProcessRunnerError(description: "could not read the validity of \(certificatePath): \(text)")
        }
        return Int((dates[1].timeIntervalSince(dates[0]) / 86_400).rounded(.down))
    }
}
