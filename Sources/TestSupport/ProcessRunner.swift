import Foundation

/// The result of running a command to completion.
public struct ProcessResult: Sendable {
    public var exitCode: Int32
    public var standardOutput: [UInt8]
    public var standardError: [UInt8]

    public var output: String { String(decoding: standardOutput, as: UTF8.self) }
    public var errorOutput: String { String(decoding: standardError, as: UTF8.self) }
}

public struct ProcessRunnerError: Error, CustomStringConvertible {
    public var description: String

    public init(description: String) {
        self.description = description
    }
}

/// Runs external commands (openssl, curl, the built estgate binary) for tests.
public enum ProcessRunner {
    /// Runs `executable` with `arguments`, feeding `input` on standard input, and waits at most
    /// `timeout` seconds. A command still running then is killed and reported as an error.
    @discardableResult
    public static func run(
        _ executable: String,
        _ arguments: [String],
        input: [UInt8] = [],
        environment: [String: String]? = nil,
        currentDirectory: String? = nil,
        timeout: TimeInterval = 60
    ) throws -> ProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try resolve(executable))
        process.arguments = arguments
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        if let currentDirectory {
            process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory)
        }

        let stdinPipe = Pipe()
        let stdoutFile = try TemporaryOutputFile()
        let stderrFile = try TemporaryOutputFile()
        defer {
            stdoutFile.remove()
            stderrFile.remove()
        }
        process.standardInput = stdinPipe
        process.standardOutput = stdoutFile.handle
        process.standardError = stderrFile.handle

        try process.run()
        if !input.isEmpty {
            try stdinPipe.fileHandleForWriting.write(contentsOf: Data(input))
        }
        try stdinPipe.fileHandleForWriting.close()

        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline {
            usleep(5_000)
        }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            throw ProcessRunnerError(description: "\(executable) \(arguments.joined(separator: " ")) timed out after \(timeout) s")
        }
        process.waitUntilExit()

        return ProcessResult(
            exitCode: process.terminationStatus,
            standardOutput: try stdoutFile.contents(),
            standardError: try stderrFile.contents())
    }

    /// Runs a command and throws with its standard error unless it exits 0.
    @discardableResult
    public static func check(
        _ executable: String, _ arguments: [String], input: [UInt8] = [], timeout: TimeInterval = 60
    ) throws -> ProcessResult {
        let result = try run(executable, arguments, input: input, timeout: timeout)
        guard result.exitCode == 0 else {
            throw ProcessRunnerError(
                description: "\(executable) \(arguments.joined(separator: " ")) exited \(result.exitCode): \(result.errorOutput)")
        }
        return result
    }

    /// Finds `name` on PATH unless it is already a path.
    public static func resolve(_ name: String) throws -> String {
        if name.contains("/") {
            return name
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) {
                return candidate
            }
        }
        throw ProcessRunnerError(description: "\(name) not found on PATH")
    }
}

/// Output goes to files rather than pipes, so a command that writes a lot cannot block on a full pipe.
private struct TemporaryOutputFile {
    let path: String
    let handle: FileHandle

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("estgate-out-\(UUID().uuidString)").path
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw ProcessRunnerError(description: "cannot create \(path)")
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    }

    func contents() throws -> [UInt8] {
        try handle.close()
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
