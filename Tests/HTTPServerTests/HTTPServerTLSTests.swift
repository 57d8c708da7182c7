import Foundation
import HTTPServer
import Testing
import TestSupport

@Suite("HTTP server TLS")
struct HTTPServerTLSTests {
    /// One GET with `Connection: close`, so the server closes the connection after its response.
    static let helloRequest = Array("GET /hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".utf8)

    @Test("server accepts TLS 1.2")
    func acceptsTLS12() throws {
        let server = try TestServer()
        defer { server.stop() }

        let result = try server.curl(["--tlsv1.2", "--tls-max", "1.2", "\(server.base)/hello"])

        let body = fields(result.output)
        #expect(result.exitCode == 0, "\(result.errorOutput)")
        #expect(body["version"] == "TLSv1.2")
        #expect(body["unique"]?.count == 24)
        #expect(body["exporter"] == "none")
    }

    @Test("server accepts TLS 1.3")
    func acceptsTLS13() throws {
        let server = try TestServer()
        defer { server.stop() }

        let result = try server.curl(["--tlsv1.3", "\(server.base)/hello"])

        let body = fields(result.output)
        #expect(result.exitCode == 0, "\(result.errorOutput)")
        #expect(body["version"] == "TLSv1.3")
        #expect(body["exporter"]?.count == 64)
        #expect(body["unique"] == "none")
    }

    @Test("server refuses TLS 1.0 and 1.1", arguments: ["-tls1", "-tls1_1"])
    func refusesOldTLS(flag: String) throws {
        let server = try TestServer()
        defer { server.stop() }

        // Security level 0 lets the local client offer the old version, so a failure comes from the server.
        let result = try server.sClient([flag, "-cipher", "DEFAULT:@SECLEVEL=0"])

        #expect(result.exitCode != 0)
        #expect(result.errorOutput.contains("alert protocol version"), "\(result.errorOutput)")
    }

    @Test(
        "session resumption follows the setting",
        arguments: [("-tls1_3", "TLSv1.3"), ("-tls1_2", "TLSv1.2")], [true, false])
    func resumptionSetting(version: (flag: String, name: String), resumption: Bool) throws {
        let server = try TestServer(sessionResumption: resumption)
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let session = directory.file("session.pem")

        let first = try server.sClient([version.flag, "-ign_eof", "-msg", "-sess_out", session], input: Self.helloRequest)

        #expect(first.output.contains("HTTP/1.1 200"), "\(first.output)")
        #expect(first.output.contains("New, \(version.name)"), "\(first.output)")
        // One ticket with resumption on, none with it off.
        let tickets = first.output.components(separatedBy: "NewSessionTicket").count - 1
        #expect(tickets == (resumption ? 1 : 0), "\(first.output)")
        // s_client writes the session only when the server made it resumable.
        #expect(FileManager.default.fileExists(atPath: session) == resumption)
        guard resumption else {
            return
        }

        let second = try server.sClient([version.flag, "-ign_eof", "-sess_in", session], input: Self.helloRequest)

        #expect(second.output.contains("Reused, \(version.name)"), "\(second.output)")
        #expect(second.output.contains("HTTP/1.1 200"), "\(second.output)")
    }

    @Test("resumed session keeps client intermediates", arguments: [("-tls1_3", "TLSv1.3"), ("-tls1_2", "TLSv1.2")])
    func resumedChain(version: (flag: String, name: String)) throws {
        let server = try TestServer()
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let session = directory.file("session.pem")
        let client = [
            "-cert", server.pki.chainedClientCertificatePath, "-key", server.pki.chainedClientKeyPath,
            "-cert_chain", server.pki.intermediateCertificatePath,
        ]

        let renewed = directory.file("renewed.pem")

        let first = fields(try server.sClient([version.flag, "-ign_eof", "-sess_out", session] + client, input: Self.helloRequest).output)
        let resumed = try server.sClient(
            [version.flag, "-ign_eof", "-sess_in", session, "-sess_out", renewed] + client, input: Self.helloRequest)
        // TLS 1.3 sends a new ticket on the resumed connection. A TLS 1.2 client keeps its first
        // ticket, which the server does not renew, and s_client then writes no new session.
        let latest = FileManager.default.fileExists(atPath: renewed) ? renewed : session
        let resumedAgain = try server.sClient([version.flag, "-ign_eof", "-sess_in", latest] + client, input: Self.helloRequest)

        #expect(first["chain"] == "2")
        #expect(first["decoded"] == "2")
        #expect(first["decodedMatchesChain"] == "true")
        #expect(first["verified"] == "true")
        #expect(latest == (version.name == "TLSv1.3" ? renewed : session))
        for result in [resumed, resumedAgain] {
            #expect(result.output.contains("Reused, \(version.name)"), "\(result.output)")
            #expect(fields(result.output)["chain"] == "2")
            // The intermediate is decoded from the ticket.
            #expect(fields(result.output)["decoded"] == "2")
            #expect(fields(result.output)["decodedMatchesChain"] == "true")
            #expect(fields(result.output)["verified"] == "true")
        }
    }

    @Test("foreign ticket gets full handshake", arguments: ["-tls1_3", "-tls1_2"])
    func foreignTicket(version: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let session = directory.file("session.pem")
        let issuer = try TestServer()
        _ = try issuer.sClient([version, "-ign_eof", "-sess_out", session], input: Self.helloRequest)
        issuer.stop()

        // A second server has other ticket keys, as after a restart, so it cannot decrypt the ticket.
        let server = try TestServer()
        defer { server.stop() }
        let result = try server.sClient([version, "-ign_eof", "-msg", "-sess_in", session], input: Self.helloRequest)

        #expect(result.output.contains("New, TLSv1."), "\(result.output)")
        #expect(result.output.contains("HTTP/1.1 200"), "\(result.output)")
        #expect(result.output.contains("NewSessionTicket"), "\(result.output)")
    }

    @Test("long client chain gets full handshake", arguments: ["-tls1_3", "-tls1_2"])
    func longChainNotResumed(version: String) throws {
        let server = try TestServer()
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let session = directory.file("session.pem")
        // 50 copies of the intermediate, about 20 KB of DER: more than a ticket carries.
        let intermediate = try String(contentsOfFile: server.pki.intermediateCertificatePath, encoding: .utf8)
        let chain = directory.file("long-chain.pem")
        try String(repeating: intermediate, count: 50).write(toFile: chain, atomically: true, encoding: .utf8)
        let client = [
            "-cert", server.pki.chainedClientCertificatePath, "-key", server.pki.chainedClientKeyPath, "-cert_chain", chain,
        ]

        let first = try server.sClient([version, "-ign_eof", "-sess_out", session] + client, input: Self.helloRequest)
        let second = try server.sClient([version, "-ign_eof", "-sess_in", session] + client, input: Self.helloRequest)

        for result in [first, second] {
            #expect(result.output.contains("New, TLSv1."), "\(result.output)")
            #expect(fields(result.output)["chain"] == "51", "\(result.output)")
        }
    }

    @Test("channel bindings differ per connection")
    func channelBindingsDiffer() throws {
        let server = try TestServer()
        defer { server.stop() }

        let first12 = fields(try server.curl(["--tls-max", "1.2", "\(server.base)/"]).output)
        let second12 = fields(try server.curl(["--tls-max", "1.2", "\(server.base)/"]).output)
        let first13 = fields(try server.curl(["\(server.base)/"]).output)
        let second13 = fields(try server.curl(["\(server.base)/"]).output)

        #expect(first12["unique"]?.count == 24)
        #expect(first12["unique"] != second12["unique"])
        #expect(first13["exporter"]?.count == 64)
        #expect(first13["exporter"] != second13["exporter"])
    }

    @Test("client certificate from trusted CA verifies")
    func verifiedClientCertificate() throws {
        let server = try TestServer()
        defer { server.stop() }

        let result = try server.curl([
            "--cert", server.pki.clientCertificatePath, "--key", server.pki.clientKeyPath, "\(server.base)/",
        ])

        let body = fields(result.output)
        #expect(body["verified"] == "true")
        // curl's OpenSSL completes the chain it sends from its CA file, so the CA follows the leaf.
        #expect(body["chain"] == "2")
        #expect(body["decoded"] == "2")
        #expect(body["decodedMatchesChain"] == "true")
        #expect(body["error"] == "none")
    }

    @Test("client certificate from unrelated CA recorded")
    func unverifiedClientCertificate() throws {
        let server = try TestServer()
        defer { server.stop() }

        let result = try server.curl([
            "--cert", server.pki.foreignClientCertificatePath, "--key", server.pki.foreignClientKeyPath, "\(server.base)/",
        ])

        let body = fields(result.output)
        #expect(result.exitCode == 0, "\(result.errorOutput)")
        #expect(body["verified"] == "false")
        #expect(body["chain"] == "1")
        #expect(body["decoded"] == "1")
        #expect(body["decodedMatchesChain"] == "true")
        #expect(body["error"] == "unable to verify the first certificate")
        #expect(body["verifyResult"] != "0")
    }

    @Test("unverified request mode leaves chain to handler", arguments: [true, false])
    func unverifiedRequestMode(trustedIssuer: Bool) throws {
        let server = try TestServer(verifiesRequestedCertificates: false)
        defer { server.stop() }
        let (certificate, key) =
            trustedIssuer
            ? (server.pki.clientCertificatePath, server.pki.clientKeyPath)
            : (server.pki.foreignClientCertificatePath, server.pki.foreignClientKeyPath)

        let result = try server.curl(["--cert", certificate, "--key", key, "\(server.base)/"])

        let body = fields(result.output)
        #expect(result.exitCode == 0, "\(result.errorOutput)")
        #expect(body["verified"] == "false")
        #expect(body["error"] == "none")
        // OpenSSL checked no chain: a verification would have failed for the foreign issuer.
        #expect(body["verifyResult"] == "0")
        #expect(body["chain"] == (trustedIssuer ? "2" : "1"))
        #expect(body["decoded"] == body["chain"])
    }

    @Test("absent client certificate recorded")
    func absentClientCertificate() throws {
        let server = try TestServer()
        defer { server.stop() }

        let body = fields(try server.curl(["\(server.base)/"]).output)

        #expect(body["verified"] == "false")
        #expect(body["chain"] == "0")
        #expect(body["decoded"] == "0")
        #expect(body["error"] == "none")
    }

    @Test("require mode rejects missing certificate")
    func requireModeRejects() throws {
        let server = try TestServer(mode: .require)
        defer { server.stop() }

        let request = Array("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8)
        let without13 = try server.sClient(["-tls1_3", "-quiet"], input: request)
        let without12 = try server.sClient(["-tls1_2", "-quiet"], input: request)
        let with = try server.curl([
            "--cert", server.pki.clientCertificatePath, "--key", server.pki.clientKeyPath, "\(server.base)/",
        ])

        #expect(without13.errorOutput.contains("alert certificate required"), "\(without13.errorOutput)")
        #expect(!without13.output.contains("HTTP/1.1"))
        #expect(without12.exitCode != 0)
        #expect(without12.errorOutput.contains("alert handshake failure"), "\(without12.errorOutput)")
        #expect(fields(with.output)["verified"] == "true")
    }

    @Test("server rejects unreadable key file")
    func unreadableKey() throws {
        let pki = try testPKI()
        let configuration = HTTPServer.Configuration(
            listenAddresses: [ListenAddress(host: "127.0.0.1", port: 0)],
            tls: TLSConfiguration(certificateChainPath: pki.serverCertificatePath, privateKeyPath: "/nonexistent/server.key"))

        #expect(throws: HTTPServerError(.privateKey, "the private key file /nonexistent/server.key cannot be read: No such file or directory")) {
            _ = try HTTPServer(configuration: configuration, handler: EchoHandler(), logger: .init(label: "test"))
        }
    }
}
