import Foundation
import Testing
import TestSupport

@Suite("EST device registration")
struct DeviceRegistrationTests {
    /// Makes a manufacturer CA and a device certificate (an IDevID) with the openssl CLI. With
    /// `intermediate`, the CA is a root and the device certificate comes from an intermediate CA
    /// under it, whose path is returned as `chain`.
    static func makeManufacturerPKI(in gateway: EndToEndGateway, serial: String, intermediate: Bool = false) throws
        -> (anchors: String, chain: String?, certificate: String, key: String)
    {
        let file = gateway.directory.file
        try ProcessRunner.check("openssl", [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", file("manufacturer.key"),
            "-subj", "/O=Example Manufacturer/CN=Example \(intermediate ? "Root" : "IDevID") CA", "-days", "30",
            "-out", file("manufacturer.pem"), "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign",
        ])

        var issuer = "manufacturer"
        if intermediate {
            try issue(
                "intermediate", subject: "/O=Example Manufacturer/CN=Example IDevID CA", by: issuer,
                extensions: "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign\n", in: gateway)
            issuer = "intermediate"
        }
        let device = "idevid-\(serial)"
        try issue(
            device, subject: "/serialNumber=\(serial)/CN=sensor", by: issuer,
            extensions: "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=clientAuth\n", in: gateway)
        return (file("manufacturer.pem"), intermediate ? file("intermediate.pem") : nil, file("\(device).pem"), file("\(device).key"))
    }

    /// Makes a key and a certificate `name` signed by the CA `issuer`, both in the gateway's directory.
    private static func issue(_ name: String, subject: String, by issuer: String, extensions: String, in gateway: EndToEndGateway) throws {
        let file = gateway.directory.file
        try extensions.write(toFile: file("\(name).ext"), atomically: true, encoding: .utf8)
        try ProcessRunner.check("openssl", [
            "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", file("\(name).key"),
            "-subj", subject, "-out", file("\(name).csr"),
        ])
        try ProcessRunner.check("openssl", [
            "x509", "-req", "-in", file("\(name).csr"), "-CA", file("\(issuer).pem"), "-CAkey", file("\(issuer).key"),
            "-CAcreateserial", "-days", "30", "-extfile", file("\(name).ext"), "-out", file("\(name).pem"),
        ])
    }

    @Test("IDevID registers device on first enrollment")
    func autoRegistration() throws {
        let gateway = try EndToEndGateway()
        let manufacturer = try Self.makeManufacturerPKI(in: gateway, serial: "SN-1001")
        gateway.process.stop()

        let configuration = """
            {"domains": [{"name": "factory", "ca": "demo-issuing-ca", "authentication": "certificate",
                          "trustAnchors": "\(manufacturer.anchors)", "autoRegisterDevices": true}]}
            """
        let restarted = try EndToEndGateway(reusing: gateway, configuration: configuration)
        let (_, csrPath) = try restarted.makeCSR(name: "ldevid", commonName: "sensor")

        let issued = try restarted.simpleEnroll(
            csrPath: csrPath, credentials: nil, label: "factory",
            options: ["--cert", manufacturer.certificate, "--key", manufacturer.key])
        #expect(issued.status == 200, "\(issued.text)")

        let devices = try restarted.estgate(["devices", "list", "--domain", "factory", "--json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(devices.standardOutput)) as? [[String: Any]])
        #expect(rows.count == 1)
        #expect(rows.first?["name"] as? String == "SN-1001")
        #expect(rows.first?["serial_number"] as? String == "SN-1001")

        // Registration and the first certificate each raise a device lifecycle event.
        let audit = try restarted.estgate(["audit", "--json"])
        let events = audit.output.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }.compactMap { $0["event"] as? String }
        #expect(events.contains("device.created"))
        #expect(events.contains("device.onboarded"))
    }

    @Test("unknown IDevID refused without auto-registration")
    func unknownDevice() throws {
        let gateway = try EndToEndGateway()
        let manufacturer = try Self.makeManufacturerPKI(in: gateway, serial: "SN-2002")
        gateway.process.stop()

        let configuration = """
            {"domains": [{"name": "factory", "ca": "demo-issuing-ca", "authentication": "certificate",
                          "trustAnchors": "\(manufacturer.anchors)"}]}
            """
        let restarted = try EndToEndGateway(reusing: gateway, configuration: configuration)
        let (_, csrPath) = try restarted.makeCSR(name: "ldevid", commonName: "sensor")
        let rejected = try restarted.simpleEnroll(
            csrPath: csrPath, credentials: nil, label: "factory",
            options: ["--cert", manufacturer.certificate, "--key", manufacturer.key])
        #expect(rejected.status == 403)
        #expect(rejected.text == "the TLS client certificate CN=sensor,serialNumber=SN-2002 does not belong to a registered device in domain factory\n")

        // Without any client certificate the certificate-only domain responds 403, not 401.
        let anonymous = try restarted.simpleEnroll(csrPath: csrPath, credentials: nil, label: "factory")
        #expect(anonymous.status == 403)
        #expect(anonymous.headers["www-authenticate"] == nil)
    }

    @Test("resumed IDevID session keeps chain")
    func resumedDeviceChain() throws {
        let gateway = try EndToEndGateway()
        let manufacturer = try Self.makeManufacturerPKI(in: gateway, serial: "SN-3003", intermediate: true)
        let chain = try #require(manufacturer.chain)
        gateway.process.stop()
        let configuration = """
            {"domains": [{"name": "factory", "ca": "demo-issuing-ca", "authentication": "certificate",
                          "trustAnchors": "\(manufacturer.anchors)", "autoRegisterDevices": true}]}
            """
        let restarted = try EndToEndGateway(reusing: gateway, configuration: configuration)
        let session = restarted.directory.file("session.pem")
        let client = [
            "s_client", "-connect", "127.0.0.1:\(restarted.process.port)", "-CAfile", restarted.caChain, "-ign_eof",
            "-cert", manufacturer.certificate, "-key", manufacturer.key, "-cert_chain", chain,
        ]

        // The root alone is the domain's anchor, so every request needs the intermediate the
        // device sent in its full handshake, also when it resumes that session.
        let first = try ProcessRunner.run(
            "openssl", client + ["-sess_out", session], input: try Self.enrollment(restarted, csr: "first"), timeout: 15)
        let resumed = try ProcessRunner.run(
            "openssl", client + ["-sess_in", session], input: try Self.enrollment(restarted, csr: "second"), timeout: 15)

        #expect(first.output.contains("HTTP/1.1 200"), "\(first.output)")
        #expect(resumed.output.contains("Reused, TLSv1.3"), "\(resumed.output)")
        #expect(resumed.output.contains("HTTP/1.1 200"), "\(resumed.output)")
    }

    /// Returns a simpleenroll request in domain `factory` for a new CSR, as raw HTTP/1.1 bytes.
    private static func enrollment(_ gateway: EndToEndGateway, csr name: String) throws -> [UInt8] {
        let (_, csrPath) = try gateway.makeCSR(name: name, commonName: "sensor")
        let body = try String(contentsOfFile: csrPath, encoding: .utf8)
        let head = "POST /.well-known/est/factory/simpleenroll HTTP/1.1\r\nHost: localhost\r\n"
            + "Content-Type: application/pkcs10\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
        return Array((head + body).utf8)
    }
}
