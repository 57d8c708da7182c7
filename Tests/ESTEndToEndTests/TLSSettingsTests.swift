import Foundation
import Testing
import TestSupport

@Suite("gateway TLS settings")
struct TLSSettingsTests {
    @Test(
        "session resumption setting reaches the server",
        arguments: [
            (nil, 1), ("{\"tls\": {\"sessionResumption\": true}}", 1), ("{\"tls\": {\"sessionResumption\": false}}", 0),
        ] as [(String?, Int)])
    func sessionResumption(configuration: String?, tickets: Int) throws {
        let gateway = try EndToEndGateway(configuration: configuration)
        let request = Array(
            "GET /.well-known/est/cacerts HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".utf8)

        let result = try ProcessRunner.run(
            "openssl",
            ["s_client", "-connect", "127.0.0.1:\(gateway.process.port)", "-CAfile", gateway.caChain, "-tls1_3", "-ign_eof", "-msg"],
            input: request, timeout: 15)

        #expect(result.output.contains("HTTP/1.1 200"), "\(result.output)")
        #expect(result.output.components(separatedBy: "NewSessionTicket").count - 1 == tickets, "\(result.output)")
        #expect(gateway.process.log.contains("tls.session_resumption=\(tickets == 1)"), "\(gateway.process.log)")
    }
}
