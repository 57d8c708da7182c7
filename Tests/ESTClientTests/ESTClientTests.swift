import ESTClient
import Foundation
import PKI
import Testing
import TestSupport

@Suite("EST client against openssl s_server", .serialized)
struct ESTClientTests {
    let fixture: SServerFixture
    var pki: ESTClientTestPKI { fixture.pki }

    init() throws {
        fixture = try SServerFixture()
    }

    @discardableResult
    private func withServer<T>(
        _ mode: ESTClientSServer.Mode = .statusPage, _ body: (ESTClientSServer) throws -> T
    ) throws -> T {
        try fixture.withServer(mode, body)
    }

    private func client(port: Int, label: String? = nil, ioTimeout: TimeInterval = 5) throws -> ESTClient {
        var tls = TLSClientConfiguration(serverVerification: .caFile(pki.caCertificateFile))
        tls.ioTimeout = ioTimeout
        var configuration = ESTClientConfiguration(host: "127.0.0.1", port: port, tls: tls)
        configuration.label = label
        configuration.credentials = BasicCredentials(username: "device-1", password: "secret")
        return try ESTClient(configuration: configuration)
    }

    /// Creates a directory for `s_server -WWW` that serves `contents` at `path`.
    private func servedDirectory(path: String, contents: String) throws -> String {
        let root = pki.directory.file("www-\(UUID().uuidString.prefix(8))")
        let file = URL(fileURLWithPath: root).appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try contents.write(to: file, atomically: true, encoding: .utf8)
        return root
    }

    @Test("label placed before operation")
    func labelPath() throws {
        let root = try servedDirectory(path: ".well-known/est/factory/iot/cacerts", contents: "served by label\n")
        try withServer(.files(directory: root)) { server in
            let client = try client(port: server.port, label: "factory/iot")
            defer { try? client.close() }
            #expect(client.path("cacerts") == "/.well-known/est/factory/iot/cacerts")

            let response = try client.send(HTTPRequest(method: "GET", path: client.path("cacerts")))
            #expect(response.status == 200)
            #expect(response.bodyText == "served by label\n")
        }
    }

    @Test("path without label")
    func defaultPath() throws {
        let client = try client(port: 1)
        #expect(client.path("simpleenroll") == "/.well-known/est/simpleenroll")
    }

    @Test("invalid label rejected")
    func invalidLabel() throws {
        for label in ["", "a/b/c", "../x", "a b", "a//b"] {
            #expect(throws: ESTClientError(
                .invalidConfiguration,
                "invalid EST label \"\(label)\": expected domain or domain/profile made of letters, digits, '-', '_' and '.'"
            )) {
                _ = try client(port: 1, label: label)
            }
        }
    }

    @Test("cacerts wrong media type")
    func cacertsMediaType() throws {
        let root = try servedDirectory(path: ".well-known/est/cacerts", contents: "MIIB\n")
        try withServer(.files(directory: root)) { server in
            let client = try client(port: server.port)
            defer { try? client.close() }
            #expect(throws: ESTClientError(
                .unexpectedContentType, "expected application/pkcs7-mime from /.well-known/est/cacerts, got text/plain"
            )) {
                _ = try client.cacerts()
            }
        }
    }

    @Test("csrattrs wrong media type")
    func csrattrsMediaType() throws {
        try withServer { server in
            let client = try client(port: server.port)
            defer { try? client.close() }
            #expect(throws: ESTClientError(
                .unexpectedContentType, "expected application/csrattrs from /.well-known/est/csrattrs, got text/html"
            )) {
                _ = try client.csrattrs()
            }
        }
    }

    @Test("enroll without response times out")
    func enrollTimeout() throws {
        let key = try PrivateKey.generate(.ecdsa(.p256))
        // s_server -www sends no response to a POST, so the read waits for the I/O timeout.
        try withServer { server in
            let client = try client(port: server.port, ioTimeout: 1)
            defer { try? client.close() }
            var binding: [UInt8] = []
            #expect(throws: TLSClientError(.timedOut, "reading from 127.0.0.1:\(server.port) timed out after 1.0 s")) {
                _ = try client.simpleEnroll { connection in
                    binding = try connection.channelBinding()
                    return try CertificateSigningRequest.create(
                        subject: DistinguishedName(parsing: "CN=device-1"),
                        challengePassword: Base64.encode(binding, lineLength: nil),
                        signingKey: key)
                }
            }
            // The server offers TLS 1.3, where the binding is the 32-byte tls-exporter value.
            #expect(binding.count == 32)
        }
    }
}
