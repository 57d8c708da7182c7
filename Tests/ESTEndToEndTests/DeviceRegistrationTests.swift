import Foundation
import Testing
import TestSupport

@Suite("EST device registration")
struct DeviceRegistrationTests {
    /// Makes a manufacturer CA and a device certificate under it (an IDevID) with the openssl CLI.
    static func makeManufacturerPKI(in gateway: EndToEndGateway, serial: String) throws -> (anchors: String, certificate: String, key: String) {
        let caKey = gateway.directory.file("manufacturer.key")
        let caCertificate = gateway.directory.file("manufacturer.pem")
        try ProcessRunner.check("openssl", [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", caKey,
            "-subj", "/O=Example Manufacturer/CN=Example IDevID CA", "-days", "30", "-out", caCertificate,
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign",
        ])

        let deviceKey = gateway.directory.file("idevid-\(serial).key")
        let deviceCSR = gateway.directory.file("idevid-\(serial).csr")
        let deviceCertificate = gateway.directory.file("idevid-\(serial).pem")
        try ProcessRunner.check("openssl", [
            "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", deviceKey,
            "-subj", "/serialNumber=\(serial)/CN=sensor", "-out", deviceCSR,
        ])
        let extensions = gateway.directory.file("idevid.ext")
        try "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=clientAuth\n"
            .write(toFile: extensions, atomically: true, encoding: .utf8)
        try ProcessRunner.check("openssl", [
            "x509", "-req", "-in", deviceCSR, "-CA", caCertificate, "-CAkey", caKey, "-CAcreateserial", "-days", "30",
            "-extfile", extensions, "-out", deviceCertificate,
        ])
        return (caCertificate, deviceCertificate, deviceKey)
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
}
