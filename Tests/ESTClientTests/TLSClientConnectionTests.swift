import ESTClient
import Foundation
import Testing
import TestSupport

@Suite("TLS client against openssl s_server", .serialized)
struct TLSClientConnectionTests {
    let fixture: SServerFixture
    var pki: ESTClientTestPKI { fixture.pki }

    init() throws {
        fixture = try SServerFixture()
    }

    @discardableResult
    private func withServer<T>(_ extraArguments: [String] = [], _ body: (ESTClientSServer) throws -> T) throws -> T {
        try fixture.withServer(extraArguments: extraArguments, body)
    }

    private func context(
        _ verification: TLSClientConfiguration.ServerVerification? = nil,
        identity: TLSClientConfiguration.ClientIdentity? = nil
    ) throws -> TLSClientContext {
        var configuration = TLSClientConfiguration(
            serverVerification: verification ?? .caFile(pki.caCertificateFile), clientIdentity: identity)
        configuration.connectTimeout = 5
        configuration.ioTimeout = 5
        return try TLSClientContext(configuration: configuration)
    }

    private func get(_ connection: TLSClientConnection) throws -> HTTPResponse {
        let http = HTTPClientConnection(connection: connection, authority: "localhost:\(connection.port)", keepAlive: false)
        return try http.send(HTTPRequest(method: "GET", path: "/"))
    }

    @Test("TLS 1.3 connect and GET")
    func tls13Get() throws {
        try withServer(["-tls1_3"]) { server in
            let connection = try TLSClientConnection(context: context(), host: "127.0.0.1", port: server.port)
            defer { try? connection.close() }
            #expect(connection.protocolVersion == "TLSv1.3")
            #expect(connection.tlsUnique == nil)
            #expect(try connection.tlsExporter().count == 32)

            let response = try get(connection)
            #expect(response.status == 200)
            #expect(response.mediaType == "text/html")
            #expect(response.bodyText.contains("TLSv1.3"))
        }
    }

    @Test("TLS 1.2 connect and GET")
    func tls12Get() throws {
        try withServer(["-tls1_2"]) { server in
            let connection = try TLSClientConnection(context: context(), host: "localhost", port: server.port)
            defer { try? connection.close() }
            #expect(connection.protocolVersion == "TLSv1.2")
            // TLS 1.2 Finished messages carry 12 bytes of verify_data.
            #expect(connection.tlsUnique?.count == 12)
            #expect(try connection.channelBinding() == connection.tlsUnique)

            let response = try get(connection)
            #expect(response.status == 200)
            #expect(response.bodyText.contains("TLSv1.2"))
        }
    }

    @Test("wrong CA fails verification")
    func wrongCA() throws {
        try withServer { server in
            #expect(throws: TLSClientError(
                .verificationFailed,
                "server certificate of 127.0.0.1:\(server.port) failed verification: unable to get local issuer certificate"
            )) {
                _ = try TLSClientConnection(
                    context: context(.caFile(pki.otherCACertificateFile)), host: "127.0.0.1", port: server.port)
            }
        }
    }

    @Test("wrong server name fails verification")
    func wrongName() throws {
        try withServer { server in
            #expect(throws: TLSClientError(
                .verificationFailed, "server certificate of 127.0.0.1:\(server.port) failed verification: hostname mismatch"
            )) {
                _ = try TLSClientConnection(
                    context: context(), host: "127.0.0.1", port: server.port, serverName: "gateway.example")
            }
        }
    }

    @Test("insecure mode accepts unknown CA")
    func insecureMode() throws {
        try withServer { server in
            let connection = try TLSClientConnection(
                context: context(.insecureNoVerification), host: "127.0.0.1", port: server.port)
            defer { try? connection.close() }
            #expect(try get(connection).status == 200)
        }
    }

    @Test("session resumed on second connection")
    func sessionResumption() throws {
        for version in ["-tls1_2", "-tls1_3"] {
            try withServer([version]) { server in
                let shared = try context()
                let first = try TLSClientConnection(context: shared, host: "127.0.0.1", port: server.port)
                _ = try get(first)
                let session = first.resumableSession()
                try first.close()
                #expect(session != nil, "no resumable session with \(version)")
                #expect(!first.isSessionReused)

                let second = try TLSClientConnection(context: shared, host: "127.0.0.1", port: server.port, session: session)
                defer { try? second.close() }
                #expect(second.isSessionReused, "session not reused with \(version)")
                #expect(try get(second).status == 200)
            }
        }
    }

    @Test("client certificate presented when required")
    func clientCertificate() throws {
        try withServer(["-Verify", "1", "-CAfile", pki.caCertificateFile]) { server in
            let identity = TLSClientConfiguration.ClientIdentity(
                certificateChainFile: pki.clientCertificateFile, privateKeyFile: pki.clientKeyFile)
            let connection = try TLSClientConnection(context: context(identity: identity), host: "127.0.0.1", port: server.port)
            defer { try? connection.close() }
            let response = try get(connection)
            #expect(response.status == 200)
            #expect(response.bodyText.contains("device-1"))
        }
    }

    @Test("closed port refuses connection")
    func connectionRefused() throws {
        let port = try withServer { $0.port }
        #expect(throws: TLSClientError(.connectionFailed, "cannot connect to 127.0.0.1:\(port): Connection refused")) {
            _ = try TLSClientConnection(context: context(), host: "127.0.0.1", port: port)
        }
    }

    @Test("missing CA file rejected")
    func missingCAFile() throws {
        let path = pki.directory.file("absent.pem")
        do throws(TLSClientError) {
            _ = try TLSClientContext(configuration: TLSClientConfiguration(serverVerification: .caFile(path)))
            Issue.record("a missing CA file was accepted")
        } catch {
            #expect(error.code == .configuration)
            #expect(error.message.hasPrefix("cannot load trust anchors from \(path): "))
        }
    }
}
