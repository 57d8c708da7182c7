import Foundation

/// A throwaway PKI for TLS server tests, made with the openssl CLI in a temporary directory.
/// It has an ECDSA P-256 CA, a server certificate for localhost and 127.0.0.1, a client
/// certificate from that CA, one from an intermediate CA under it, and a client certificate
/// from an unrelated CA.
public struct HTTPTestPKI: Sendable {
    public let directory: TemporaryDirectory

    public var caCertificatePath: String { directory.file("ca.pem") }
    public var serverCertificatePath: String { directory.file("server.pem") }
    public var serverKeyPath: String { directory.file("server.key") }
    public var clientCertificatePath: String { directory.file("client.pem") }
    public var clientKeyPath: String { directory.file("client.key") }
    public var foreignClientCertificatePath: String { directory.file("foreign-client.pem") }
    public var foreignClientKeyPath: String { directory.file("foreign-client.key") }
    public var intermediateCertificatePath: String { directory.file("intermediate.pem") }
    public var chainedClientCertificatePath: String { directory.file("chained-client.pem") }
    public var chainedClientKeyPath: String { directory.file("chained-client.key") }

    public init() throws {
        directory = try TemporaryDirectory(prefix: "estgate-http-pki")
        try makeCA(name: "ca", subject: "/CN=estgate test CA")
        try makeCA(name: "foreign-ca", subject: "/CN=unrelated test CA")
        try issue(name: "server", subject: "/CN=localhost", ca: "ca", extensions: [
            "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1",
            "extendedKeyUsage=serverAuth",
        ])
        try issue(name: "client", subject: "/CN=device-1/O=estgate tests", ca: "ca", extensions: ["extendedKeyUsage=clientAuth"])
        try issue(name: "foreign-client", subject: "/CN=device-2", ca: "foreign-ca", extensions: ["extendedKeyUsage=clientAuth"])
        try issue(
            name: "intermediate", subject: "/CN=estgate test intermediate CA", ca: "ca",
            extensions: ["keyUsage=critical,keyCertSign"], isCA: true)
        try issue(name: "chained-client", subject: "/CN=device-3", ca: "intermediate", extensions: ["extendedKeyUsage=clientAuth"])
    }

    private func makeCA(name: String, subject: String) throws {
        try ProcessRunner.check("openssl", [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", directory.file("\(name).key"), "-out", directory.file("\(name).pem"),
            "-days", "2", "-subj", subject,
        ])
    }

    private func issue(name: String, subject: String, ca: String, extensions: [String], isCA: Bool = false) throws {
        let extensionsPath = directory.file("\(name).ext")
        try (extensions + [isCA ? "basicConstraints=critical,CA:TRUE" : "basicConstraints=CA:FALSE"]).joined(separator: "\n").write(
            toFile: extensionsPath, atomically: true, encoding: .utf8)
        try ProcessRunner.check("openssl", [
            "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", directory.file("\(name).key"), "-out", directory.file("\(name).csr"), "-subj", subject,
        ])
        try ProcessRunner.check("openssl", [
            "x509", "-req", "-in", directory.file("\(name).csr"), "-CA", directory.file("\(ca).pem"),
            "-CAkey", directory.file("\(ca).key"), "-set_serial", String(UInt32.random(in: 1...UInt32.max)),
            "-days", "2", "-extfile", extensionsPath, "-out", directory.file("\(name).pem"),
        ])
    }
}
