import Foundation
import Synchronization

/// What admin commands take from the process besides the store: the clock, the user name,
/// standard input and when `audit --follow` stops.
public struct AdminEnvironment: Sendable {
    public var now: @Sendable () -> Date
    /// The login name used as the actor of a decision when `--by` is absent.
    public var userName: String?
    /// Reads all of standard input; used for passwords.
    public var readStandardInput: @Sendable () -> [UInt8]
    /// Time between two reads of the audit trail by `audit --follow`.
    public var followPollInterval: Duration
    /// `audit --follow` returns once this is true; checked after every poll.
    public var followShouldStop: @Sendable () -> Bool

    public init(
        now: @escaping @Sendable () -> Date = { Date() },
        userName: String? = nil,
        readStandardInput: @escaping @Sendable () -> [UInt8] = { [] },
        followPollInterval: Duration = .milliseconds(500),
        followShouldStop: @escaping @Sendable () -> Bool = { false }
    ) {
        self.now = now
        self.userName = userName
        self.readStandardInput = readStandardInput
        self.followPollInterval = followPollInterval
        self.followShouldStop = followShouldStop
    }

    /// The running process: the system clock, `$USER`, real standard input, and `--follow`
    /// stopping on SIGINT.
    public static func process(interrupted: SIGINTFlag) -> AdminEnvironment {
        AdminEnvironment(
            userName: ProcessInfo.processInfo.environment["USER"],
            readStandardInput: { [UInt8](FileHandle.standardInput.readDataToEndOfFile()) },
            followShouldStop: { interrupted.isRaised })
    }

    /// The actor recorded for a decision: `--by`, else `$USER`, else "admin".
    func actor(given: String?) -> String {
        if let given, !given.isEmpty {
            return given
        }
        if let userName, !userName.isEmpty {
            return userName
        }
        return "admin"
    }
}

/// Set once SIGINT arrives; installing it stops SIGINT from killing the process.
public final class SIGINTFlag: Sendable {
    private let raised = Atomic<Bool>(false)
    // Written once by `install()` before the source delivers anything, and never read: the
    // property only keeps the dispatch source alive.
    nonisolated(unsafe) private var source: (any DispatchSourceSignal)?

    public init() {}

    public var isRaised: Bool {
        raised.load(ordering: .acquiring)
    }

    /// Routes SIGINT to this flag instead of the default action (terminating the process).
    public func install() {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [self] in
            raised.store(true, ordering: .releasing)
        }
        source.resume()
        self.source = source
    }
}
