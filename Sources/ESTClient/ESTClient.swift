import Foundation
import PKI

/// An EST client (RFC 7030 with the RFC 8951 clarifications) over blocking TLS connections.
///
/// Each call blocks until the response is read. An instance keeps mutable connection state, so use
/// one per thread.
public final class ESTClient {
    public let configuration: ESTClientConfiguration
    private let context: TLSClientContext
    private var openConnection: HTTPClientConnection?
    private var session: TLSSession?

    public init(configuration: ESTClientConfiguration) throws {
        try configuration.validate()
        self.configuration = configuration
        self.context = try TLSClientContext(configuration: configuration.tls)
    }

    /// Builds the request path of `operation`, with the configured label.
    public func path(_ operation: String) -> String {
        guard let label = configuration.label else {
            return "/.well-known/est/\(operation)"
        }
        return "/.well-known/est/\(label)/\(operation)"
    }

    /// Fetches the CA certificates (RFC 7030 §4.1), issuing CA first as the server orders them.
    public func cacerts() throws -> [Certificate] {
        let path = path("cacerts")
        let response = try send(HTTPRequest(method: "GET", path: path))
        guard response.status == 200 else {
            throw unexpectedStatus(response, path: path)
        }
        return try certificates(in: response, path: path)
    }

    /// Fetches the CSR attributes (RFC 7030 §4.5) as DER, or nil when the server has none (204 or 404).
    public func csrattrs() throws -> [UInt8]? {
        let path = path("csrattrs")
        let response = try send(HTTPRequest(method: "GET", path: path))
        switch response.status {
        case 204, 404:
            return nil
        case 200:
            try expectMediaType("application/csrattrs", in: response, path: path)
            return try decodeBase64(response, path: path)
        default:
            throw unexpectedStatus(response, path: path)
        }
    }

    public func simpleEnroll(csr: CertificateSigningRequest) throws -> EnrollResult {
        try enroll(operation: "simpleenroll") { _ in csr }
    }

    public func simpleReenroll(csr: CertificateSigningRequest) throws -> EnrollResult {
        try enroll(operation: "simplereenroll") { _ in csr }
    }

    /// Enrolls with a CSR made once the connection is up, so that it can carry the connection's
    /// channel binding (`TLSClientConnection.channelBinding()`) in challengePassword.
    public func simpleEnroll(
        csrFor makeCSR: (TLSClientConnection) throws -> CertificateSigningRequest
    ) throws -> EnrollResult {
        try enroll(operation: "simpleenroll", csrFor: makeCSR)
    }

    /// Sends the same CSR until it is issued or rejected, sleeping for each 202's Retry-After
    /// (at least 1 s). Returns the last pending result when the next retry would pass `maximumWait`.
    public func enrollWaiting(csr: CertificateSigningRequest, maximumWait: TimeInterval) throws -> EnrollResult {
        let deadline = Date().addingTimeInterval(maximumWait)
        var result = try simpleEnroll(csr: csr)
        while case .pending(let retryAfter, _) = result {
            let wait = TimeInterval(max(1, retryAfter))
            guard Date().addingTimeInterval(wait) <= deadline else {
                return result
            }
            Thread.sleep(forTimeInterval: wait)
            result = try simpleEnroll(csr: csr)
        }
        return result
    }

    /// Sends any request with the configured credentials and returns the raw response.
    public func send(_ request: HTTPRequest) throws -> HTTPResponse {
        try exchange { _ in request }
    }

    /// Closes a connection kept open by `keepAlive`; call it before releasing the client.
    public func close() throws {
        let connection = openConnection
        openConnection = nil
        try connection?.close()
    }

    // MARK: Enrollment

    private func enroll(
        operation: String, csrFor makeCSR: (TLSClientConnection) throws -> CertificateSigningRequest
    ) throws -> EnrollResult {
        let path = path(operation)
        let response = try exchange { connection in
            let csr = try makeCSR(connection)
            return HTTPRequest(
                method: "POST", path: path,
                headers: [("Content-Type", "application/pkcs10"), ("Content-Transfer-Encoding", "base64")],
                body: Array(Base64.encode(csr.derEncoded, lineLength: 64).utf8))
        }

        switch response.status {
        case 200:
            let certificates = try certificates(in: response, path: path)
            guard certificates.count == 1 else {
                throw ESTClientError(
                    .invalidBody, "expected exactly one certificate from \(path), got \(certificates.count)")
            }
            return .issued(certificates[0])
        case 202:
            return .pending(retryAfter: try retryAfter(in: response, path: path), message: message(of: response))
        default:
            return .rejected(status: response.status, message: message(of: response))
        }
    }

    /// Reads Retry-After as delta-seconds, the form EST servers send (RFC 7030 §4.2.3).
    private func retryAfter(in response: HTTPResponse, path: String) throws -> Int {
        guard let text = response.header("Retry-After") else {
            throw ESTClientError(.malformedResponse, "202 response from \(path) has no Retry-After header")
        }
        guard let seconds = Int(text.trimmingCharacters(in: .whitespaces)), seconds >= 0 else {
            throw ESTClientError(.malformedResponse, "invalid Retry-After \"\(text)\" in the 202 response from \(path)")
        }
        return seconds
    }

    // MARK: Bodies

    private func certificates(in response: HTTPResponse, path: String) throws -> [Certificate] {
        try expectMediaType("application/pkcs7-mime", in: response, path: path)
        let der = try decodeBase64(response, path: path)
        do {
            return try PKCS7.certificates(fromCertsOnly: der)
        } catch {
            throw ESTClientError(.invalidBody, "the body from \(path) is not a PKCS#7 certs-only structure: \(error)")
        }
    }

    private func decodeBase64(_ response: HTTPResponse, path: String) throws -> [UInt8] {
        do {
            return try Base64.decode(response.body)
        } catch {
            throw ESTClientError(.invalidBody, "the body from \(path) is not base64: \(error)")
        }
    }

    private func expectMediaType(_ expected: String, in response: HTTPResponse, path: String) throws {
        guard response.mediaType == expected else {
            throw ESTClientError(
                .unexpectedContentType,
                "expected \(expected) from \(path), got \(response.header("Content-Type") ?? "no Content-Type")")
        }
    }

    private func message(of response: HTTPResponse) -> String {
        response.bodyText.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func unexpectedStatus(_ response: HTTPResponse, path: String) -> ESTClientError {
        let body = message(of: response)
        return ESTClientError(
            .unexpectedStatus,
            "\(path) returned \(response.status)" + (body.isEmpty ? "" : ": \(String(body.prefix(200)))"))
    }

    // MARK: Connections

    /// Sends one request built once the connection is up, on the kept-alive connection or a new one.
    private func exchange(_ makeRequest: (TLSClientConnection) throws -> HTTPRequest) throws -> HTTPResponse {
        let http = try openConnection ?? connect()
        openConnection = nil

        let response: HTTPResponse
        do {
            var request = try makeRequest(http.connection)
            if let credentials = configuration.credentials {
                request.headers.append(("Authorization", Self.basicAuthorization(credentials)))
            }
            response = try http.send(request)
        } catch {
            // The request already failed; a failure to close as well adds nothing for the caller.
            try? http.close()
            throw error
        }

        if configuration.resumesSessions, let resumable = http.connection.resumableSession() {
            session = resumable
        }
        if http.isReusable {
            openConnection = http
        } else {
            try http.close()
        }
        return response
    }

    private func connect() throws -> HTTPClientConnection {
        let connection = try TLSClientConnection(
            context: context, host: configuration.host, port: configuration.port,
            serverName: configuration.serverName, session: configuration.resumesSessions ? session : nil)
        var name = configuration.serverName ?? configuration.host
        if name.contains(":") && !name.hasPrefix("[") {
            name = "[\(name)]"
        }
        let authority = "\(name):\(configuration.port)"
        return HTTPClientConnection(connection: connection, authority: authority, keepAlive: configuration.keepAlive)
    }

    private static func basicAuthorization(_ credentials: BasicCredentials) -> String {
        "Basic " + Base64.encode(Array("\(credentials.username):\(credentials.password)".utf8), lineLength: nil)
    }
}
