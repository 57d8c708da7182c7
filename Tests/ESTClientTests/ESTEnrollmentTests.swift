import ESTClient
import Foundation
import PKI
import Testing
import TestSupport

@Suite("EST enrollment responses", .serialized)
struct ESTEnrollmentTests {
    let fixture: SServerFixture

    init() throws {
        fixture = try SServerFixture()
    }

    private func client(port: Int) throws -> ESTClient {
        var configuration = ESTClientConfiguration(
            host: "127.0.0.1", port: port,
            tls: TLSClientConfiguration(serverVerification: .caFile(fixture.pki.caCertificateFile)))
        configuration.label = "factory"
        configuration.credentials = BasicCredentials(username: "device-1", password: "secret")
        return try ESTClient(configuration: configuration)
    }

    private func csr() throws -> CertificateSigningRequest {
        try CertificateSigningRequest.create(
            subject: DistinguishedName(parsing: "CN=device-1"), signingKey: PrivateKey.generate(.ecdsa(.p256)))
    }

    /// Makes a base64 certs-only body with the openssl CLI, independent of the PKI module.
    private func certsOnlyBody(_ certificateFiles: [String]) throws -> String {
        let der = try ProcessRunner.check(
            "openssl", ["crl2pkcs7", "-nocrl", "-outform", "DER"] + certificateFiles.flatMap { ["-certfile", $0] })
        return Base64.encode(der.standardOutput, lineLength: 64) + "\n"
    }

    private func response(_ status: String, headers: [String] = [], body: String = "") -> String {
        let head = ["HTTP/1.1 \(status)", "Content-Length: \(body.utf8.count)"] + headers
        return head.joined(separator: "\r\n") + "\r\n\r\n" + body
    }

    private func enroll(answering response: String) throws -> (EnrollResult, request: String) {
        let request = try csr()
        return try fixture.withScriptedServer(response: response) { server in
            let client = try client(port: server.port)
            defer { try? client.close() }
            return try client.simpleEnroll(csr: request)
        }
    }

    @Test("issued certificate parsed")
    func issued() throws {
        let body = try certsOnlyBody([fixture.pki.clientCertificateFile])
        let (result, request) = try enroll(answering: response(
            "200 OK", headers: ["Content-Type: application/pkcs7-mime; smime-type=certs-only"], body: body))
        guard case .issued(let certificate) = result else {
            Issue.record("expected an issued certificate, got \(result)")
            return
        }
        #expect(certificate.subject.commonName == "device-1")
        #expect(request.contains("POST /.well-known/est/factory/simpleenroll HTTP/1.1\r\n"))
        #expect(request.contains("\r\nContent-Type: application/pkcs10\r\n"))
        #expect(request.contains("\r\nAuthorization: Basic ZGV2aWNlLTE6c2VjcmV0\r\n"))
    }

    @Test("pending result carries retry after")
    func pending() throws {
        let (result, _) = try enroll(answering: response(
            "202 Accepted", headers: ["Retry-After: 7", "Content-Type: text/plain"], body: "request 42 is pending\n"))
        guard case .pending(let retryAfter, let message) = result else {
            Issue.record("expected pending, got \(result)")
            return
        }
        #expect(retryAfter == 7)
        #expect(message == "request 42 is pending")
    }

    @Test("waiting stops before passing limit")
    func waitingBound() throws {
        let request = try csr()
        let started = Date()
        let (result, _) = try fixture.withScriptedServer(response: response(
            "202 Accepted", headers: ["Retry-After: 30"], body: "pending\n")
        ) { server in
            let client = try client(port: server.port)
            defer { try? client.close() }
            return try client.enrollWaiting(csr: request, maximumWait: 5)
        }
        guard case .pending(let retryAfter, _) = result else {
            Issue.record("expected pending, got \(result)")
            return
        }
        #expect(retryAfter == 30)
        // A 30 s retry cannot fit in a 5 s limit, so the client returns without sleeping.
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test("rejection keeps status and text")
    func rejected() throws {
        let (result, _) = try enroll(answering: response("403 Forbidden", body: "key too small\n"))
        guard case .rejected(let status, let message) = result else {
            Issue.record("expected rejected, got \(result)")
            return
        }
        #expect(status == 403)
        #expect(message == "key too small")
    }

    @Test("pending without retry after rejected")
    func pendingWithoutRetryAfter() throws {
        #expect(throws: ESTClientError(
            .malformedResponse, "202 response from /.well-known/est/factory/simpleenroll has no Retry-After header"
        )) {
            _ = try enroll(answering: response("202 Accepted"))
        }
    }

    @Test("issued body with two certificates rejected")
    func twoCertificates() throws {
        let body = try certsOnlyBody([fixture.pki.clientCertificateFile, fixture.pki.caCertificateFile])
        #expect(throws: ESTClientError(
            .invalidBody, "expected exactly one certificate from /.well-known/est/factory/simpleenroll, got 2"
        )) {
            _ = try enroll(answering: response("200 OK", headers: ["Content-Type: application/pkcs7-mime"], body: body))
        }
    }

    @Test("cacerts returns whole chain")
    func cacertsChain() throws {
        let body = try certsOnlyBody([fixture.pki.caCertificateFile, fixture.pki.otherCACertificateFile])
        let (certificates, request) = try fixture.withScriptedServer(response: response(
            "200 OK", headers: ["Content-Type: Application/PKCS7-MIME; smime-type=certs-only"], body: body)
        ) { server in
            let client = try client(port: server.port)
            defer { try? client.close() }
            return try client.cacerts()
        }
        #expect(certificates.map(\.subject.commonName) == ["Test Root", "Other Root"])
        #expect(request.contains("GET /.well-known/est/factory/cacerts HTTP/1.1\r\n"))
    }

    @Test("csrattrs no content is nil")
    func csrattrsNoContent() throws {
        let (attributes, _) = try fixture.withScriptedServer(response: "HTTP/1.1 204 No Content\r\n\r\n") { server in
            let client = try client(port: server.port)
            defer { try? client.close() }
            return try client.csrattrs()
        }
        #expect(attributes == nil)
    }
}
