import Foundation

/// An `openssl s_server` serving HTTP on 127.0.0.1 with an ephemeral port, killed by PID in `stop()`.
public final class ESTClientSServer {
    public enum Mode {
        /// `-www`: every GET gets a 200 text/html page describing the TLS session.
        case statusPage
        /// `-WWW`: GET serves files under the directory as text/plain, a missing one as a 200
        /// with OpenSSL's error text. POST gets no response in either mode.
        case files(directory: String)
    }

    public let port: Int
    private let process: Process
    private let outputFile: String

    /// Starts the server with `extraArguments` (for example `-tls1_2`) and waits at most 10 s
    /// for it to print the port it listens on.
    public init(
        certificateFile: String, keyFile: String, mode: Mode = .statusPage, extraArguments: [String] = [],
        outputFile: String
    ) throws {
        self.outputFile = outputFile
        guard FileManager.default.createFile(atPath: outputFile, contents: nil) else {
            throw ProcessRunnerError(description: "cannot create \(outputFile)")
        }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputFile))
        defer { try? output.close() }

        process = Process()
        process.executableURL = URL(fileURLWithPath: try ProcessRunner.resolve("openssl"))
        let modeArgument: String
        switch mode {
        case .statusPage:
            modeArgument = "-www"
        case .files(let directory):
            modeArgument = "-WWW"
            process.currentDirectoryURL = URL(fileURLWithPath: directory)
        }
        process.arguments = [
            "s_server", modeArgument, "-accept", "127.0.0.1:0", "-cert", certificateFile, "-key", keyFile,
        ] + extraArguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        try process.run()

        let deadline = Date().addingTimeInterval(10)
        var listening: Int?
        while listening == nil && Date() < deadline && process.isRunning {
            usleep(20_000)
            listening = Self.acceptedPort(in: (try? String(contentsOfFile: outputFile, encoding: .utf8)) ?? "")
        }
        guard let listening else {
            Self.terminate(process)
            let text = (try? String(contentsOfFile: outputFile, encoding: .utf8)) ?? ""
            throw ProcessRunnerError(description: "openssl s_server did not start listening: \(text)")
        }
        port = listening
    }

    /// Kills the server by PID and waits for it to exit.
    public func stop() {
        Self.terminate(process)
        try? FileManager.default.removeItem(atPath: outputFile)
    }

    private static func terminate(_ process: Process) {
        // SIGKILL because a child started from a test thread inherits its blocked SIGTERM, and
        // s_server keeps no state worth a clean shutdown.
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
    }

    /// Reads the port from s_server's `ACCEPT 127.0.0.1:PORT` line.
    private static func acceptedPort(in output: String) -> Int? {
        for line in output.split(separator: "\n") where line.hasPrefix("ACCEPT ") {
            if let colon = line.lastIndex(of: ":") {
                return Int(line[line.index(after: colon)...])
            }
        }
        return nil
    }
}
