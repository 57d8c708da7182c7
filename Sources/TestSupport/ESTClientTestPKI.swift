import Foundation

/// A throwaway CA and a server certificate for `localhost` and 127.0.0.1, made with the openssl
/// CLI in a temporary directory, for tests that need real TLS.
public struct ESTClientTestPKI: Sendable {
    public let directory: TemporaryDirectory
    public let caCertificateFile: String
    public let serverCertificateFile: String
    public let serverKeyFile: String
    public let clientCertificateFile: String
    public let clientKeyFile: String
    /// A second, unrelated CA, for checking that verification fails against the wrong anchor.
    public let otherCACertificateFile: String

    public init() throws {
        directory = try TemporaryDirectory(prefix: "estclient-pki")
        caCertificateFile = directory.file("ca.pem")
        serverCertificateFile = directory.file("server.pem")
        serverKeyFile = directory.file("server.key")
        clientCertificateFile = directory.file("client.pem")
        clientKeyFile = directory.file("client.key")
        otherCACertificateFile = directory.file("other-ca.pem")

        try makeCA(name: "Test Root", certificate: caCertificateFile, key: directory.file("ca.key"))
        try makeCA(name: "Other Root", certificate: otherCACertificateFile, key: directory.file("other-ca.key"))
        try issue(
            subject: "/CN=localhost", extensions: "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nextendedKeyUsage=serverAuth\n",
            certificate: serverCertificateFile, key: serverKeyFile)
        try issue(
            subject: "/CN=device-1", extensions: "extendedKeyUsage=clientAuth\n",
            certificate: clientCertificateFile, key: clientKeyFile)
    }

    private func makeCA(name: String, certificate: String, key: String) throws {
        try ProcessRunner.check("openssl", [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", key, "-out", certificate, "-subj", "/CN=\(name)", "-days", "2",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ])
    }

    private func issue(subject: String, extensions: String, certificate: String, key: String) throws {
        let request = certificate + ".csr"
        let extensionsFile = certificate + ".ext"
        try extensions.write(toFile: extensionsFile, atomically: true, encoding: .utf8)
        try ProcessRunner.check("openssl", [
            "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", key, "-out", request, "-subj", subject,
        ])
        try ProcessRunner.check("openssl", [
            "x509", "-req", "-in", request, "-CA", caCertificateFile, "-CAkey", directory.file("ca.key"),
            "-CAcreateserial", "-out", certificate, "-days", "1", "-extfile", extensionsFile,
        ])
    }

    public func remove() {
        directory.remove()
    }
}
