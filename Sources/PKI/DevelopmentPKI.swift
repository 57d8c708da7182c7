import Foundation

/// A throwaway PKI for development and demos: a root CA, an issuing CA under it and a TLS
/// server certificate for localhost, written as PEM files into one directory.
public struct DevelopmentPKI: Sendable {
    public let directory: String
    public let root: CertificateAuthority
    public let issuing: CertificateAuthority
    public let serverCertificate: Certificate
    public let serverKey: PrivateKey

    public var rootCertificatePath: String { path("root-ca.pem") }
    public var rootKeyPath: String { path("root-ca.key") }
    public var issuingCertificatePath: String { path("issuing-ca.pem") }
    public var issuingKeyPath: String { path("issuing-ca.key") }
    /// The issuing CA certificate followed by the root.
    public var caChainPath: String { path("ca-chain.pem") }
    /// The server certificate followed by the issuing CA certificate, as a TLS server sends it.
    public var serverCertificatePath: String { path("server.pem") }
    public var serverKeyPath: String { path("server.key") }

    /// Names of the files `create` writes.
    public static let fileNames = ["root-ca.pem", "root-ca.key", "issuing-ca.pem", "issuing-ca.key", "ca-chain.pem", "server.pem", "server.key"]

    /// Creates the directory if needed and writes a new PKI: root valid 10 years, issuing CA 5
    /// years, server certificate 1 year (DNS:localhost, IP:127.0.0.1, IP:::1, serverAuth).
    /// Private keys are unencrypted PKCS#8 files with mode 0600; existing files are replaced.
    public static func create(inDirectory directory: String, keySpec: KeySpec = .ecdsa(.p256), now: Date = Date()) throws -> DevelopmentPKI {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw PKIError(.fileAccess, "creating the directory \(directory) failed: \(error.localizedDescription)")
        }

        let root = try CertificateAuthority.createRoot(
            subject: DistinguishedName([("O", "estgate development"), ("CN", "estgate development root CA")]),
            key: PrivateKey.generate(keySpec), validityDays: 3653, now: now)
        let issuing = try root.createSubordinate(
            subject: DistinguishedName([("O", "estgate development"), ("CN", "estgate development issuing CA")]),
            key: PrivateKey.generate(keySpec), validityDays: 1826, now: now)

        let serverKey = try PrivateKey.generate(keySpec)
        let request = try CertificateSigningRequest.create(
            subject: DistinguishedName([("O", "estgate development"), ("CN", "localhost")]),
            subjectAlternativeNames: [.dns("localhost"), .ipAddress("127.0.0.1"), .ipAddress("::1")],
            signingKey: serverKey)
        let serverCertificate = try issuing.issue(csr: request, profile: .tlsServer, now: now)

        let pki = DevelopmentPKI(
            directory: directory, root: root, issuing: issuing, serverCertificate: serverCertificate, serverKey: serverKey)
        try pki.write()
        return pki
    }

    private func write() throws {
        try writePublic(root.certificate.pemEncoded, to: rootCertificatePath)
        try root.privateKey.write(toPath: rootKeyPath)
        try writePublic(issuing.certificate.pemEncoded, to: issuingCertificatePath)
        try issuing.privateKey.write(toPath: issuingKeyPath)
        try writePublic(issuing.caChain.map(\.pemEncoded).joined(), to: caChainPath)
        try writePublic(serverCertificate.pemEncoded + issuing.certificate.pemEncoded, to: serverCertificatePath)
        try serverKey.write(toPath: serverKeyPath)
    }

    private func writePublic(_ text: String, to path: String) throws {
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw PKIError(.fileAccess, "writing \(path) failed: \(error.localizedDescription)")
        }
    }

    private func path(_ name: String) -> String {
        URL(fileURLWithPath: directory).appendingPathComponent(name).path
    }
}
