import Foundation
import TestSupport

/// A throwaway PKI plus a way to run `openssl s_server` with it, shared by the suites that need
/// real TLS. The PKI directory is removed when the fixture is released.
final class SServerFixture {
    let pki: ESTClientTestPKI

    init() throws {
        // A server that closes mid-write must surface as an error, not kill the test process.
        signal(SIGPIPE, SIG_IGN)
        pki = try ESTClientTestPKI()
    }

    deinit {
        pki.remove()
    }

    /// Runs `body` with a server using the PKI's server certificate, then kills the server.
    @discardableResult
    func withServer<T>(
        _ mode: ESTClientSServer.Mode = .statusPage, extraArguments: [String] = [],
        _ body: (ESTClientSServer) throws -> T
    ) throws -> T {
        let server = try ESTClientSServer(
            certificateFile: pki.serverCertificateFile, keyFile: pki.serverKeyFile, mode: mode,
            extraArguments: extraArguments, outputFile: pki.directory.file("s_server-\(UUID().uuidString).log"))
        defer { server.stop() }
        return try body(server)
    }

    /// Runs `body` against a one-connection server that sends `response` whatever the request,
    /// and returns its result with the request the server received.
    func withScriptedServer<T>(response: String, _ body: (ESTClientSServer) throws -> T) throws -> (T, request: String) {
        let server = try ESTClientSServer(
            certificateFile: pki.serverCertificateFile, keyFile: pki.serverKeyFile,
            mode: .scriptedResponse(Array(response.utf8)),
            outputFile: pki.directory.file("s_server-\(UUID().uuidString).log"))
        let result: T
        do {
            result = try body(server)
        } catch {
            server.stop()
            throw error
        }
        server.stop()
        return (result, server.output)
    }
}
