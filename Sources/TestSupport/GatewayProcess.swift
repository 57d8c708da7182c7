import Foundation

public struct GatewayProcessError: Error, CustomStringConvertible {
    public var description: String
}

/// The built `estgate` binary running `serve` on 127.0.0.1 with an ephemeral port, for end-to-end
/// tests. Standard output and standard error go to files in the data directory's parent, so a
/// failing test can show the gateway's log.
public final class GatewayProcess: @unchecked Sendable {
    // @unchecked: `process` is only touched by the thread that owns the test; Process itself is
    // thread-safe for terminate and isRunning.
    public let dataDirectory: String
    public let port: Int
    public let logPath: String
    /// The file that receives the server's standard output, where `serve` prints its commands.
    public let outputPath: String
    private let process: Process

    /// Path of the `estgate` executable next to the test bundle (`.build/<config>/estgate`).
    public static var executablePath: String {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        // Swift Testing on Linux runs `<name>.xctest` directly from the build directory.
        while !FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent("estgate").path),
            directory.path != "/"
        {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent("estgate").path
    }

    /// Starts `estgate serve` and waits (at most `timeout` seconds) for the line naming its URL.
    public init(dataDirectory: String, extraArguments: [String] = [], timeout: TimeInterval = 60) throws {
        self.dataDirectory = dataDirectory
        let parent = URL(fileURLWithPath: dataDirectory).deletingLastPathComponent().path
        outputPath = parent + "/gateway-\(UUID().uuidString.prefix(8)).out"
        logPath = parent + "/gateway-\(UUID().uuidString.prefix(8)).log"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)

        process = Process()
        process.executableURL = URL(fileURLWithPath: GatewayProcess.executablePath)
        process.arguments = ["serve", "--data-dir", dataDirectory, "--listen", "127.0.0.1:0"] + extraArguments
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardInput = FileHandle.nullDevice
        try process.run()

        let deadline = Date().addingTimeInterval(timeout)
        var foundPort: Int?
        while foundPort == nil && Date() < deadline && process.isRunning {
            let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            foundPort = GatewayProcess.port(inOutput: output)
            if foundPort == nil {
                usleep(50_000)
            }
        }
        guard let foundPort else {
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            if process.isRunning {
                process.terminate()
            }
            throw GatewayProcessError(description: "estgate serve did not report its address within \(timeout) s; log:\n\(log)")
        }
        port = foundPort
    }

    /// Reads the port from the line `estgate is serving EST at https://localhost:PORT/...`.
    static func port(inOutput output: String) -> Int? {
        guard let range = output.range(of: "serving EST at https://localhost:") else {
            return nil
        }
        let digits = output[range.upperBound...].prefix { $0.isNumber }
        return Int(digits)
    }

    public var baseURL: String { "https://localhost:\(port)/.well-known/est" }
    public var caChainPath: String { dataDirectory + "/ca-chain.pem" }

    /// Reads the demo device password from `demo-device.txt`.
    public func demoPassword() throws -> String {
        let text = try String(contentsOfFile: dataDirectory + "/demo-device.txt", encoding: .utf8)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("password=") }) else {
            throw GatewayProcessError(description: "demo-device.txt has no password line")
        }
        return String(line.dropFirst("password=".count))
    }

    public var log: String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }

    /// The text `serve` printed on standard output so far.
    public var output: String {
        (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    }

    public var isRunning: Bool { process.isRunning }

    /// Sends SIGTERM and waits (at most `timeout` seconds) for the exit; returns the exit status.
    @discardableResult
    public func stop(timeout: TimeInterval = 30) -> Int32 {
        guard process.isRunning else {
            return process.terminationStatus
        }
        process.terminate()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline {
            usleep(20_000)
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return -1
        }
        return process.terminationStatus
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
        }
    }
}
