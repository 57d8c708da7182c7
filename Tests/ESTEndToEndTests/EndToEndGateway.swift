import Foundation
import TestSupport

/// A gateway process in its own temporary directory with the helpers the end-to-end tests share:
/// make CSRs with the openssl CLI, call EST with curl, and run `estgate` admin commands.
final class EndToEndGateway: Sendable {
    let directory: TemporaryDirectory
    let process: GatewayProcess
    private let ownsDirectory: Bool
    /// Keeps the gateway whose directory this one reuses alive, so the directory outlives both.
    private let retained: EndToEndGateway?

    init(configuration: String? = nil) throws {
        directory = try TemporaryDirectory(prefix: "estgate-e2e")
        var arguments: [String] = []
        if let configuration {
            let path = directory.file("config.json")
            try configuration.write(toFile: path, atomically: true, encoding: .utf8)
            arguments += ["--config", path]
        }
        process = try GatewayProcess(dataDirectory: directory.file("data"), extraArguments: arguments)
        ownsDirectory = true
        retained = nil
    }

    /// Starts a new gateway process on the data directory of `previous` (stopped first), so a test
    /// can restart with another configuration. `previous` keeps owning the directory.
    init(reusing previous: EndToEndGateway, configuration: String) throws {
        previous.process.stop()
        directory = previous.directory
        ownsDirectory = false
        let path = directory.file("config-\(UUID().uuidString.prefix(8)).json")
        try configuration.write(toFile: path, atomically: true, encoding: .utf8)
        process = try GatewayProcess(dataDirectory: previous.dataDirectory, extraArguments: ["--config", path])
        retained = previous
    }

    deinit {
        process.stop()
        if ownsDirectory {
            directory.remove()
        }
    }

    var dataDirectory: String { process.dataDirectory }
    var caChain: String { process.caChainPath }

    func url(_ operation: String, label: String? = nil) -> String {
        process.baseURL + (label.map { "/\($0)" } ?? "") + "/" + operation
    }

    /// `user:password` of the demo device.
    func demoCredentials() throws -> String {
        "demo-device:\(try process.demoPassword())"
    }

    /// Makes a key and a PEM CSR with the openssl CLI; returns the paths of both.
    func makeCSR(name: String, commonName: String = "demo-device", keyOptions: [String] = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"], extra: [String] = [])
        throws -> (key: String, csr: String)
    {
        let key = directory.file("\(name).key")
        let csr = directory.file("\(name).csr")
        try ProcessRunner.check(
            "openssl", ["req", "-new"] + keyOptions + ["-nodes", "-keyout", key, "-subj", "/CN=\(commonName)", "-out", csr] + extra)
        return (key, csr)
    }

    func post(
        _ operation: String, body: [UInt8], credentials: String?, contentType: String = "application/pkcs10",
        label: String? = nil, options: [String] = []
    ) throws -> CurlResponse {
        var curlOptions = ["-H", "Content-Type: \(contentType)"] + options
        if let credentials {
            curlOptions += ["--user", credentials]
        }
        return try CurlResponse.fetch(url(operation, label: label), caFile: caChain, body: body, options: curlOptions)
    }

    func simpleEnroll(csrPath: String, credentials: String?, label: String? = nil, options: [String] = []) throws -> CurlResponse {
        try post("simpleenroll", body: Array(try Data(contentsOf: URL(fileURLWithPath: csrPath))), credentials: credentials, label: label, options: options)
    }

    /// Runs `estgate <arguments> --data-dir <dir>` to completion.
    @discardableResult
    func estgate(_ arguments: [String], input: String = "") throws -> ProcessResult {
        try ProcessRunner.run(
            GatewayProcess.executablePath, arguments + ["--data-dir", dataDirectory], input: Array(input.utf8), timeout: 60)
    }

    /// Extracts the request id from a 202 body: "enrollment request <id> is pending approval; ...".
    static func requestID(from response: CurlResponse) -> String? {
        let words = response.text.split(separator: " ")
        guard let index = words.firstIndex(of: "request"), index + 1 < words.count else {
            return nil
        }
        return String(words[index + 1])
    }

    /// Writes a certs-only body to a file as PEM certificates with `openssl pkcs7`; returns the path.
    func certificatesPEM(fromCertsOnly response: CurlResponse, name: String) throws -> String {
        let der = Data(base64Encoded: response.text, options: .ignoreUnknownCharacters) ?? Data()
        let derPath = directory.file("\(name).p7")
        try der.write(to: URL(fileURLWithPath: derPath))
        let pemPath = directory.file("\(name).pem")
        try ProcessRunner.check("openssl", ["pkcs7", "-inform", "DER", "-in", derPath, "-print_certs", "-out", pemPath])
        return pemPath
    }
}
