import Foundation
import Testing
import TestSupport

@Suite("EST enrollment flow")
struct EnrollmentFlowTests {
    @Test("cacerts returns the issuing chain")
    func cacerts() throws {
        let gateway = try EndToEndGateway()
        let response = try CurlResponse.fetch(gateway.url("cacerts"), caFile: gateway.caChain)
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "application/pkcs7-mime; smime-type=certs-only")
        #expect(response.headers["content-transfer-encoding"] == "base64")

        let pem = try gateway.certificatesPEM(fromCertsOnly: response, name: "cacerts")
        let subjects = try ProcessRunner.check("openssl", ["crl2pkcs7", "-nocrl", "-certfile", pem]).output
        #expect(!subjects.isEmpty)
        let text = try String(contentsOfFile: pem, encoding: .utf8)
        #expect(text.components(separatedBy: "BEGIN CERTIFICATE").count - 1 == 2)
        // The chain file clients trust verifies the issuing CA returned by cacerts.
        let verify = try ProcessRunner.run("openssl", ["verify", "-CAfile", gateway.caChain, pem])
        #expect(verify.exitCode == 0, "\(verify.output) \(verify.errorOutput)")
    }

    @Test("pending, approve, issue, repeat")
    func approveFlow() throws {
        let gateway = try EndToEndGateway()
        let credentials = try gateway.demoCredentials()
        let (keyPath, csrPath) = try gateway.makeCSR(name: "device")

        let pending = try gateway.simpleEnroll(csrPath: csrPath, credentials: credentials)
        #expect(pending.status == 202)
        #expect(pending.headers["retry-after"] == "10")
        let requestID = try #require(EndToEndGateway.requestID(from: pending))

        let poll = try gateway.simpleEnroll(csrPath: csrPath, credentials: credentials)
        #expect(poll.status == 202)
        #expect(EndToEndGateway.requestID(from: poll) == requestID)

        let approval = try gateway.estgate(["requests", "approve", requestID, "--by", "tester", "--comment", "looks right"])
        #expect(approval.exitCode == 0, "\(approval.errorOutput)")

        let issued = try gateway.simpleEnroll(csrPath: csrPath, credentials: credentials)
        #expect(issued.status == 200)
        #expect(issued.headers["content-type"] == "application/pkcs7-mime; smime-type=certs-only")
        let certificatePath = try gateway.certificatesPEM(fromCertsOnly: issued, name: "issued")
        let verify = try ProcessRunner.run("openssl", ["verify", "-CAfile", gateway.caChain, certificatePath])
        #expect(verify.exitCode == 0, "\(verify.output) \(verify.errorOutput)")

        // The certificate carries the CSR's public key.
        let certificateKey = try ProcessRunner.check("openssl", ["x509", "-in", certificatePath, "-noout", "-pubkey"]).output
        let csrKey = try ProcessRunner.check("openssl", ["pkey", "-in", keyPath, "-pubout"]).output
        #expect(certificateKey == csrKey)

        // A retry after delivery gets the identical certificate.
        let again = try gateway.simpleEnroll(csrPath: csrPath, credentials: credentials)
        #expect(again.status == 200)
        #expect(again.body == issued.body)

        let list = try gateway.estgate(["requests", "list", "--json"])
        let requests = try #require(try JSONSerialization.jsonObject(with: Data(list.standardOutput)) as? [[String: Any]])
        #expect(requests.count == 1)
        #expect(requests.first?["state"] as? String == "Finalized")
        let certificates = try gateway.estgate(["certs", "list", "--json"])
        let certificateRows = try #require(try JSONSerialization.jsonObject(with: Data(certificates.standardOutput)) as? [[String: Any]])
        #expect(certificateRows.count == 1)
    }

    @Test("rejection is sticky")
    func rejection() throws {
        let gateway = try EndToEndGateway()
        let credentials = try gateway.demoCredentials()
        let (_, csrPath) = try gateway.makeCSR(name: "device")

        let pending = try gateway.simpleEnroll(csrPath: csrPath, credentials: credentials)
        let requestID = try #require(EndToEndGateway.requestID(from: pending))
        let rejection = try gateway.estgate(["requests", "reject", requestID, "--by", "tester", "--comment", "unknown site"])
        #expect(rejection.exitCode == 0, "\(rejection.errorOutput)")

        let rejected = try gateway.simpleEnroll(csrPath: csrPath, credentials: credentials)
        #expect(rejected.status == 403)
        #expect(rejected.text == "enrollment request \(requestID) was rejected: unknown site\n")
        let again = try gateway.simpleEnroll(csrPath: csrPath, credentials: credentials)
        #expect(again.status == 403)

        let list = try gateway.estgate(["requests", "list", "--json"])
        let requests = try #require(try JSONSerialization.jsonObject(with: Data(list.standardOutput)) as? [[String: Any]])
        #expect(requests.count == 1)

        // A new key and CSR opens a new request.
        let (_, freshCSR) = try gateway.makeCSR(name: "fresh")
        let fresh = try gateway.simpleEnroll(csrPath: freshCSR, credentials: credentials)
        #expect(fresh.status == 202)
        #expect(EndToEndGateway.requestID(from: fresh) != requestID)
    }

    @Test("concurrent first requests open one")
    func concurrentFirstRequests() throws {
        let gateway = try EndToEndGateway()
        let credentials = try gateway.demoCredentials()
        let (_, csrPath) = try gateway.makeCSR(name: "device")

        let statuses = ConcurrentResults<Int>()
        DispatchQueue.concurrentPerform(iterations: 10) { _ in
            let status = (try? gateway.simpleEnroll(csrPath: csrPath, credentials: credentials).status) ?? -1
            statuses.append(status)
        }
        #expect(statuses.values == Array(repeating: 202, count: 10))

        let list = try gateway.estgate(["requests", "list", "--json"])
        let requests = try #require(try JSONSerialization.jsonObject(with: Data(list.standardOutput)) as? [[String: Any]])
        #expect(requests.count == 1)
    }

    @Test("domain without workflows issues at once")
    func domainWithoutWorkflows() throws {
        let configuration = """
            {"domains": [{"name": "open", "ca": "demo-issuing-ca", "authentication": "basic"}]}
            """
        let gateway = try EndToEndGateway(configuration: configuration)
        let added = try gateway.estgate(["devices", "add", "sensor-1", "--domain", "open", "--password-stdin"], input: "sensor-secret\n")
        #expect(added.exitCode == 0, "\(added.errorOutput)")
        let (_, csrPath) = try gateway.makeCSR(name: "sensor", commonName: "sensor-1")

        let issued = try gateway.simpleEnroll(csrPath: csrPath, credentials: "sensor-1:sensor-secret", label: "open")
        #expect(issued.status == 200, "\(issued.text)")
        let certificatePath = try gateway.certificatesPEM(fromCertsOnly: issued, name: "sensor-cert")
        let subject = try ProcessRunner.check("openssl", ["x509", "-in", certificatePath, "-noout", "-subject"]).output
        #expect(subject.contains("CN = sensor-1"))
    }

    @Test("SIGTERM stops with status 0")
    func gracefulStop() throws {
        let gateway = try EndToEndGateway()
        let response = try CurlResponse.fetch(gateway.url("cacerts"), caFile: gateway.caChain)
        #expect(response.status == 200)
        #expect(gateway.process.stop() == 0)
        #expect(gateway.process.log.contains("msg=\"gateway stopped\""))
    }
}

/// Collects values from concurrent closures.
final class ConcurrentResults<Value: Sendable>: @unchecked Sendable {
    // @unchecked: every access to `storage` takes `lock`.
    private let lock = NSLock()
    private var storage: [Value] = []

    func append(_ value: Value) {
        lock.withLock { storage.append(value) }
    }

    var values: [Value] {
        lock.withLock { storage }
    }
}
