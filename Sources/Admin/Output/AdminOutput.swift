import Foundation
import Synchronization

/// Where an admin command writes: the process's standard output and error, or buffers that a
/// test reads back.
///
/// Writes are serialized, so a command running on one thread (`audit --follow`) can be read
/// from another.
public final class AdminOutput: Sendable {
    private enum Destination {
        case standardStreams
        case buffers
    }

    /// True when state badges are written in colour.
    public let usesColor: Bool
    private let destination: Destination
    private let captured = Mutex<(standardOutput: String, standardError: String)>(("", ""))

    private init(destination: Destination, usesColor: Bool) {
        self.destination = destination
        self.usesColor = usesColor
    }

    /// The process's standard streams; colour only when standard output is a terminal and
    /// `NO_COLOR` is unset (https://no-color.org).
    public static func standardStreams(environment: [String: String] = ProcessInfo.processInfo.environment) -> AdminOutput {
        let terminal = isatty(STDOUT_FILENO) == 1
        return AdminOutput(destination: .standardStreams, usesColor: terminal && environment["NO_COLOR"] == nil)
    }

    /// Buffers read back through `standardOutput` and `standardError`.
    public static func capturing(usesColor: Bool = false) -> AdminOutput {
        AdminOutput(destination: .buffers, usesColor: usesColor)
    }

    /// Everything written to standard output so far; empty for `standardStreams`.
    public var standardOutput: String {
        captured.withLock { $0.standardOutput }
    }

    /// Everything written to standard error so far; empty for `standardStreams`.
    public var standardError: String {
        captured.withLock { $0.standardError }
    }

    /// Writes `text` and a newline to standard output.
    public func line(_ text: String = "") {
        write(text + "\n")
    }

    /// Writes `text` as is to standard output.
    public func write(_ text: String) {
        switch destination {
        case .standardStreams:
            FileHandle.standardOutput.write(Data(text.utf8))
        case .buffers:
            captured.withLock { $0.standardOutput += text }
        }
    }

    /// Writes `text` and a newline to standard error.
    public func errorLine(_ text: String) {
        switch destination {
        case .standardStreams:
            FileHandle.standardError.write(Data((text + "\n").utf8))
        case .buffers:
            captured.withLock { $0.standardError += text + "\n" }
        }
    }
}
