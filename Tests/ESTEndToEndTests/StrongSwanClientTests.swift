import Foundation
import Testing
import TestSupport

/// strongSwan's `pki --est` is an independent EST client: it polls on 202 by itself.
@Suite("strongSwan EST client", .enabled(if: StrongSwanClientTests.pkiInstalled, "strongSwan pki is not installed"))
struct StrongSwanClientTests {
    static var pkiInstalled: Bool {
        (try? ProcessRunner.resolve("pki")) != nil
    }

    @Test("estca fetches the CA certificates")
    func estca() throws {
        let gateway = try EndToEndGateway()
        let output = gateway.directory.file("estca.pem")
        let result = try ProcessRunner.run(
            "pki", ["--estca", "--url", gateway.process.baseURL, "--cacert", gateway.caChain, "--caout", output, "--outform", "pem", "--force"],
            timeout: 60)
        #expect(result.exitCode == 0, "\(result.output) \(result.errorOutput)")

        // strongSwan writes the CA certificates it received; each must be one the gateway serves.
        let written = try FileManager.default.contentsOfDirectory(atPath: gateway.directory.path).filter { $0.hasPrefix("estca") }
        #expect(!written.isEmpty)
    }

    @Test("est polls until approval")
    func enrollWithApproval() throws {
        let gateway = try EndToEndGateway()
        let (_, csrPath) = try gateway.makeCSR(name: "strongswan", commonName: "demo-device")
        let certificatePath = gateway.directory.file("strongswan-cert.pem")

        let client = Process()
        client.executableURL = URL(fileURLWithPath: try ProcessRunner.resolve("pki"))
        client.arguments = [
            "--est", "--url", gateway.process.baseURL, "--cacert", gateway.caChain, "--in", csrPath,
            "--userpass", try gateway.demoCredentials(), "--interval", "1", "--maxpolltime", "60", "--outform", "pem",
        ]
        FileManager.default.createFile(atPath: certificatePath, contents: nil)
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
