import Foundation
import Testing
import TestSupport

/// strongSwan's `pki --est` is an independent EST client: it polls on 202 by itself.
/// True when strongSwan's `pki` tool is on PATH (Debian package strongswan-pki).
private let strongSwanPKIInstalled = (try? ProcessRunner.resolve("pki")) != nil

/// strongSwan 5.9 decodes base64 bodies only without line breaks, so its domain sets
/// base64LineLength 0; it reads one certificate per --cacert, so the chain is passed file by file.
@Suite("strongSwan EST client", .enabled(if: strongSwanPKIInstalled, "strongSwan pki is not installed"))
struct StrongSwanClientTests {
    static let configuration = """
        {"domains": [{"name": "default", "base64LineLength": 0}]}
        """

    /// Returns the gateway URL without the EST path, which strongSwan appends itself.
    static func serverURL(_ gateway: EndToEndGateway) -> String {
        "https://localhost:\(gateway.process.port)"
    }

    static func caArguments(_ gateway: EndToEndGateway) -> [String] {
        ["--cacert", gateway.dataDirectory + "/pki/root-ca.pem", "--cacert", gateway.dataDirectory + "/pki/issuing-ca.pem"]
    }

    @Test("estca fetches the CA certificates")
    func estca() throws {
        let gateway = try EndToEndGateway(configuration: StrongSwanClientTests.configuration)
        let output = gateway.directory.file("estca.pem")
        let result = try ProcessRunner.run(
            "pki",
            ["--estca", "--url", StrongSwanClientTests.serverURL(gateway)] + StrongSwanClientTests.caArguments(gateway)
                + ["--caout", output, "--outform", "pem", "--force"],
            timeout: 60)
        #expect(result.exitCode == 0, "\(result.output) \(result.errorOutput)")

        // strongSwan numbers the files it writes (estca-1.pem, ...); the issuing CA must be among them.
        let written = try FileManager.default.contentsOfDirectory(atPath: gateway.directory.path)
            .filter { $0.hasPrefix("estca") && $0.hasSuffix(".pem") }
        #expect(!written.isEmpty)
        let issuing = try String(contentsOfFile: gateway.dataDirectory + "/pki/issuing-ca.pem", encoding: .utf8)
        let received = try written.map { try String(contentsOfFile: gateway.directory.file($0), encoding: .utf8) }
        #expect(received.contains(issuing))
    }

    @Test("est polls until approval")
    func enrollWithApproval() throws {
        let gateway = try EndToEndGateway(configuration: StrongSwanClientTests.configuration)
        let (_, csrPath) = try gateway.makeCSR(name: "strongswan", commonName: "demo-device")
        let certificatePath = gateway.directory.file("strongswan-cert.pem")

        let client = Process()
        client.executableURL = URL(fileURLWithPath: try ProcessRunner.resolve("pki"))
        client.arguments = [
            "--est", "--url", StrongSwanClientTests.serverURL(gateway), "--in", csrPath,
            "--userpass", try gateway.demoCredentials(), "--interval", "1", "--maxpolltime", "60", "--outform", "pem",
        ] + StrongSwanClientTests.caArguments(gateway)
        _ = FileManager.default.createFile(atPath: certificatePath, contents: nil)
        client.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: certificatePath))
        client.standardError = FileHandle.nullDevice
        try client.run()
        defer {
            if client.isRunning {
                kill(client.processIdentifier, SIGKILL)
            }
        }

        // Wait (at most 30 s) for the client's request to show up, then approve it.
        var requestID: String?
        let deadline = Date().addingTimeInterval(30)
        while requestID == nil && Date() < deadline {
            let list = try gateway.estgate(["requests", "list", "--json", "--state", "AwaitingApproval"])
            let requests = (try? JSONSerialization.jsonObject(with: Data(list.standardOutput)) as? [[String: Any]]) ?? []
            requestID = requests.first?["id"] as? String
            if requestID == nil {
                usleep(200_000)
            }
        }
        let id = try #require(requestID)
        let approval = try gateway.estgate(["requests", "approve", id, "--by", "tester"])
        #expect(approval.exitCode == 0, "\(approval.errorOutput)")

        let exitDeadline = Date().addingTimeInterval(60)
        while client.isRunning && Date() < exitDeadline {
            usleep(100_000)
        }
        #expect(!client.isRunning)
        #expect(client.terminationStatus == 0)

        let verify = try ProcessRunner.run("openssl", ["verify", "-CAfile", gateway.caChain, certificatePath])
        #expect(verify.exitCode == 0, "\(verify.output) \(verify.errorOutput)")
    }
}
