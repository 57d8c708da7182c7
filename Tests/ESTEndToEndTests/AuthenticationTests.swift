import Foundation
import Testing
import TestSupport

@Suite("EST authentication")
struct AuthenticationTests {
    @Test("wrong password is 401 with a challenge")
    func wrongPassword() throws {
        let gateway = try EndToEndGateway()
        let (_, csrPath) = try gateway.makeCSR(name: "device")
        let response = try gateway.simpleEnroll(csrPath: csrPath, credentials: "demo-device:wrong")
        #expect(response.status == 401)
        #expect(response.headers["www-authenticate"] == "Basic realm=\"estgate\"")
        #expect(response.text == "invalid username or password for domain default\n")

        let missing = try gateway.simpleEnroll(csrPath: csrPath, credentials: nil)
        #expect(missing.status == 401)
        #expect(missing.headers["www-authenticate"] == "Basic realm=\"estgate\"")
    }

    @Test("reenroll with the issued certificate")
    func reenroll() throws {
        let configuration = """
            {"domains": [{"name": "open", "ca": "demo-issuing-ca", "authentication": "certificate-or-basic"}]}
            """
        let gateway = try EndToEndGateway(configuration: configuration)
        let added = try gateway.estgate(["devices", "add", "meter-7", "--domain", "open", "--password-stdin"], input: "meter-secret\n")
        #expect(added.exitCode == 0, "\(added.errorOutput)")

        let (keyPath, csrPath) = try gateway.makeCSR(name: "meter", commonName: "meter-7")
        let issued = try gateway.simpleEnroll(csrPath: csrPath, credentials: "meter-7:meter-secret", label: "open")
        #expect(issued.status == 200, "\(issued.text)")
        let certificatePath = try gateway.certificatesPEM(fromCertsOnly: issued, name: "meter-cert")

        // A new key for the same subject, authenticated by the certificate being renewed.
        let (_, renewalCSR) = try gateway.makeCSR(name: "meter-renewal", commonName: "meter-7")
        let renewal = try gateway.post(
            "simplereenroll", body: Array(try Data(contentsOf: URL(fileURLWithPath: renewalCSR))), credentials: nil,
            label: "open", options: ["--cert", certificatePath, "--key", keyPath])
        #expect(renewal.status == 200, "\(renewal.text)")
        let renewedPath = try gateway.certificatesPEM(fromCertsOnly: renewal, name: "meter-renewed")
        let verify = try ProcessRunner.run("openssl", ["verify", "-CAfile", gateway.caChain, renewedPath])
        #expect(verify.exitCode == 0)

        // The renewal CSR must keep the subject of the certificate being renewed.
        let (_, otherSubjectCSR) = try gateway.makeCSR(name: "meter-other", commonName: "meter-8")
        let mismatch = try gateway.post(
            "simplereenroll", body: Array(try Data(contentsOf: URL(fileURLWithPath: otherSubjectCSR))), credentials: nil,
            label: "open", options: ["--cert", certificatePath, "--key", keyPath])
        #expect(mismatch.status == 403)
        #expect(mismatch.text == "the CSR subject CN=meter-8 does not match the subject CN=meter-7 of the certificate being renewed\n")

        // A certificate from another CA is refused.
        let foreignDirectory = gateway.directory.file("foreign")
        try ProcessRunner.check("openssl", [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", foreignDirectory + ".key",
            "-subj", "/CN=meter-7", "-days", "1", "-out", foreignDirectory + ".pem",
        ])
        let foreign = try gateway.post(
            "simplereenroll", body: Array(try Data(contentsOf: URL(fileURLWithPath: renewalCSR))), credentials: nil,
            label: "open", options: ["--cert", foreignDirectory + ".pem", "--key", foreignDirectory + ".key"])
        #expect(foreign.status == 403)
        #expect(foreign.text.hasPrefix("the TLS client certificate CN=meter-7 is not trusted in domain open"))

        // Basic credentials alone cannot renew.
        let basicOnly = try gateway.post(
            "simplereenroll", body: Array(try Data(contentsOf: URL(fileURLWithPath: renewalCSR))),
            credentials: "meter-7:meter-secret", label: "open")
        #expect(basicOnly.status == 403)
        #expect(basicOnly.text == "simplereenroll requires the TLS client certificate being renewed, issued by this gateway\n")
    }
}
