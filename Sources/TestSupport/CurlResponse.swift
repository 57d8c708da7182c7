import Foundation

/// An HTTP exchange made with the real curl CLI, parsed into status, headers and body.
public struct CurlResponse: Sendable {
    public var status: Int
    /// Header names lowercased; the last value wins.
    public var headers: [String: String]
    public var body: [UInt8]

    public var text: String { String(decoding: body, as: UTF8.self) }

    /// Runs curl against `url`. `options` are passed through (for example `--user`, `--cert`,
    /// `-H`), `body` is sent with `--data-binary` from a temporary file when given.
    public static func fetch(
        _ url: String, caFile: String, method: String? = nil, body: [UInt8]? = nil, options: [String] = [],
        timeout: TimeInterval = 30
    ) throws -> CurlResponse {
        let directory = try TemporaryDirectory(prefix: "curl")
        defer { directory.remove() }
        let headerPath = directory.file("headers")
        let bodyPath = directory.file("body")

        var arguments = [
            "--silent", "--show-error", "--max-time", String(Int(timeout)), "--cacert", caFile,
            "--dump-header", headerPath, "--output", bodyPath, "--write-out", "%{http_code}",
        ]
        if let method {
            arguments += ["--request", method]
        }
        if let body {
            let requestPath = directory.file("request")
            try Data(body).write(to: URL(fileURLWithPath: requestPath))
            arguments += ["--data-binary", "@" + requestPath]
        }
        arguments += options + [url]

        let result = try ProcessRunner.run("curl", arguments, timeout: timeout + 5)
        guard result.exitCode == 0, let status = Int(result.output.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw ProcessRunnerError(description: "curl \(url) exited \(result.exitCode): \(result.errorOutput)")
        }

        var headers: [String: String] = [:]
        let headerText = (try? String(contentsOfFile: headerPath, encoding: .utf8)) ?? ""
        for line in headerText.split(whereSeparator: { $0 == "\r\n" || $0 == "\n" }) {
            guard let colon = line.firstIndex(of: ":") else {
                continue
            }
            let name = line[..<colon].lowercased()
            headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let bodyBytes = (try? Data(contentsOf: URL(fileURLWithPath: bodyPath))).map(Array.init) ?? []
        return CurlResponse(status: status, headers: headers, body: bodyBytes)
    }
}
