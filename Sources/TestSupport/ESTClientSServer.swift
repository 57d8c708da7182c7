import Foundation

/// An `openssl s_server` serving HTTP on 127.0.0.1 with an ephemeral port, killed by PID in `stop()`.
public final class ESTClientSServer {
    public enum Mode {
        /// `-www`: every GET gets a 200 text/html page describing the TLS session.
        case statusPage
        /// `-WWW`: GET serves files under the directory as text/plain, a missing one as a 200
        /// with OpenSSL's error text. POST gets no response in either mode.
        case files(directory: String)
        /// One connection only: these bytes are sent as the server's whole output, whatever the
        /// request, and the request received is kept in `output`.
        case scriptedResponse([UInt8])
    }

    public let port: Int
    private let process: Process
    private let outputFile: String
    /// Standard input of a scripted server, kept open so s_server does not end the connection
    /// before the client has sent its request.
    private let input: Pipe?

    /// Starts the server with `extraArguments` (for example `-tls1_2`) and waits at most 10 s
    /// for it to print the port it listens on. Its output goes to `outputFile`, which the caller
    /// removes.
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
        let modeArguments: [String]
        var script: [UInt8] = []
        switch mode {
        case .statusPage:
            modeArguments = ["-www"]
            input = nil
        case .files(let directory):
            modeArguments = ["-WWW"]
            process.currentDirectoryURL = URL(fileURLWithPath: directory)
            input = nil
        case .scriptedResponse(let bytes):
            modeArguments = ["-naccept", "1"]
            script = bytes
            input = Pipe()
        }
        process.arguments = ["s_server"] + modeArguments + [
            "-accept", "127.0.0.1:0", "-cert", certificateFile, "-key", keyFile,
        ] + extraArguments
        process.standardInput = input ?? FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        try process.run()
        if let input {
            // s_server reads standard input only once a client is connected, so the pipe buffers it until then.
            try input.fileHandleForWriting.write(contentsOf: Data(script))
        }

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

    /// Everything the server printed: its start-up lines and, when scripted, the request received.
    /// Complete only after `stop()`, because s_server buffers what it writes to a file.
    public var output: String {
        (try? String(contentsOfFile: outputFile, encoding: .utf8)) ?? ""
    }

    /// Stops the server and waits for it to exit. A scripted server, its one connection over,
    /// gets 5 s to exit by itself so its output is complete; then it is killed by PID.
    public func stop() {
        if let input {
            // Standard input stays open while waiting: s_server handles its end before pending
            // socket data, so closing it first could drop the request from the output.
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning && Date() < deadline {
                usleep(10_000)
            }
            try? input.fileHandleForWriting.close()
        }
        Self.terminate(process)
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
