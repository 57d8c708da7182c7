import CSQLite
import Foundation
import Logging

/// Copies the WAL back into the database file on its own thread and connection, so that the
/// commit that fills the WAL does not also pay for the copy and its fsync.
///
/// SQLite's automatic checkpoint runs inside the COMMIT that crosses the threshold, on the thread
/// of the request that happened to commit. Connections that `install(on:)` this checkpointer
/// only report their WAL size after each commit. The checkpoint itself is PASSIVE, so it does
/// not wait for readers or writers.
final class WALCheckpointer: @unchecked Sendable {
    // @unchecked Sendable: `condition` guards `pending` and `stopping`, and only the checkpointer
    // thread uses `connection` until `stop` has seen that thread end.
    /// WAL pages after which a checkpoint is requested, as in SQLite's default.
    static let thresholdPages: Int32 = 1000
    /// WAL pages after which the committing connection checkpoints itself, in case the
    /// checkpointer falls behind a long burst of writes.
    static let inlineThresholdPages: Int32 = 10 * thresholdPages

    private let connection: SQLiteConnection
    private let logger: Logger
    private let condition = NSCondition()
    private var pending = false
    private var stopping = false
    private let stopped = DispatchSemaphore(value: 0)

    init(path: String, logger: Logger) throws {
        connection = try SQLiteConnection(path: path)
        self.logger = logger
        let thread = Thread { [self] in
            self.run()
        }
        thread.name = "estgate-wal-checkpoint"
        thread.start()
    }

    /// Turns off the automatic checkpoint of `database` and reports its commits to this
    /// checkpointer instead. The checkpointer must outlive the connection.
    func install(on database: OpaquePointer) {
        sqlite3_wal_hook(database, { context, database, _, pages in
            guard let context else {
                return SQLITE_OK
            }
            let checkpointer = Unmanaged<WALCheckpointer>.fromOpaque(context).takeUnretainedValue()
            if pages >= WALCheckpointer.inlineThresholdPages {
                sqlite3_wal_checkpoint_v2(database, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            } else if pages >= WALCheckpointer.thresholdPages {
                checkpointer.request()
            }
            return SQLITE_OK
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    func request() {
        condition.lock()
        pending = true
        condition.signal()
        condition.unlock()
    }

    /// Stops the thread after the checkpoint it is running, waiting at most `timeout` seconds,
    /// and closes its connection.
    func stop(timeout: TimeInterval = 10) throws {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()

        guard stopped.wait(timeout: .now() + timeout) == .success else {
            throw StoreError.sqlite(
                code: SQLITE_BUSY, operation: "stopping the WAL checkpointer of \(connection.path)",
                message: "the running checkpoint did not finish within \(Int(timeout)) s")
        }
        try connection.close()
    }

    private func run() {
        while waitForRequest() {
            do {
                try connection.checkpoint()
            } catch StoreError.sqlite(let code, _, _) where code == SQLITE_BUSY {
                // One connection checkpoints at a time, and a PASSIVE checkpoint returns BUSY at once
                // while another runs, such as a commit past inlineThresholdPages. The WAL keeps the
                // frames, and the next commit past the threshold requests a new checkpoint.
                logger.debug("WAL checkpoint skipped because another connection is checkpointing", metadata: ["database": connection.path])
            } catch {
                logger.error("WAL checkpoint failed", metadata: ["database": connection.path, "error": "\(error)"])
            }
        }
        stopped.signal()
    }

    private func waitForRequest() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !pending && !stopping {
            condition.wait()
        }
        pending = false
        return !stopping
    }
}
