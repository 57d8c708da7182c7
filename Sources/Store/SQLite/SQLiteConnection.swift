import CSQLite
import Foundation

/// One open SQLite database connection with its prepared-statement cache.
///
/// Opening sets the pragmas every estgate connection relies on (WAL journal, foreign keys,
/// a busy timeout) and runs the schema migrations. A connection is used by one thread at a time;
/// `SQLiteStore` hands connections out from a pool. Call `close()` when done: `deinit` only
/// checks that it happened.
public final class SQLiteConnection {
    public let path: String
    private var handle: OpaquePointer?
    private var statements: [String: SQLiteStatement] = [:]

    /// Opens (creating if needed) the database at `path` and migrates its schema forward.
    ///
    /// - Throws: `StoreError.schemaTooNew` when the file was written by a newer estgate.
    public init(path: String, busyTimeout: Duration = .seconds(5)) throws {
        self.path = path

        var opened: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &opened, flags, nil)
        handle = opened
        guard code == SQLITE_OK, opened != nil else {
            let error = SQLiteStatement.error(code: code, database: opened, operation: "opening \(path)")
            sqlite3_close_v2(opened)
            handle = nil
            throw error
        }

        do {
            try configure(busyTimeout: busyTimeout)
            try SchemaMigrator.migrate(self)
        } catch {
            try? close()
            throw error
        }
    }

    deinit {
        // Closing can fail (a statement still running); close() reports that, deinit cannot.
        assert(handle == nil, "SQLiteConnection to \(path) deallocated without close()")
    }

    /// Finalizes the cached statements and closes the database.
    public func close() throws {
        guard let database = handle else {
            return
        }
        statements.removeAll()

        let code = sqlite3_close(database)
        guard code == SQLITE_OK else {
            throw SQLiteStatement.error(code: code, database: database, operation: "closing \(path)")
        }
        handle = nil
    }

    /// Runs parameterised `sql` and returns its rows; `operation` names the work in errors.
    @discardableResult
    public func query(_ sql: String, _ arguments: [SQLiteValue] = [], operation: String) throws -> [SQLiteRow] {
        try statement(sql, operation: operation).rows(arguments, operation: operation)
    }

    /// Runs a write and returns the number of rows it changed.
    @discardableResult
    public func run(_ sql: String, _ arguments: [SQLiteValue] = [], operation: String) throws -> Int {
        try query(sql, arguments, operation: operation)
        return Int(sqlite3_changes(try open()))
    }

    public var lastInsertRowID: Int64 {
        handle.map { sqlite3_last_insert_rowid($0) } ?? 0
    }

    /// Runs `sql` text of one or more statements without parameters; for schema changes and pragmas.
    public func execute(_ sql: String, operation: String) throws {
        let database = try open()
        let code = sqlite3_exec(database, sql, nil, nil, nil)
        guard code == SQLITE_OK else {
            throw SQLiteStatement.error(code: code, database: database, operation: operation)
        }
    }

    /// Runs `body` in one write transaction (`BEGIN IMMEDIATE`, so the write lock is taken up
    /// front and a concurrent writer waits for the busy timeout instead of failing mid-way),
    /// committing when it returns and rolling back when it throws. Nested calls use a savepoint.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        let database = try open()
        let nested = sqlite3_get_autocommit(database) == 0
        try query(nested ? "SAVEPOINT nested" : "BEGIN IMMEDIATE", operation: "beginning a transaction")

        let result: T
        do {
            result = try body()
        } catch {
            let rollback = nested ? "ROLLBACK TO nested; RELEASE nested" : "ROLLBACK"
            try? execute(rollback, operation: "rolling back a transaction")
            throw error
        }

        do {
            try query(nested ? "RELEASE nested" : "COMMIT", operation: "committing a transaction")
        } catch {
            // A failed COMMIT leaves the transaction open; the connection goes back to the pool
            // only after it is rolled back.
            let rollback = nested ? "ROLLBACK TO nested; RELEASE nested" : "ROLLBACK"
            try? execute(rollback, operation: "rolling back a transaction")
            throw error
        }
        return result
    }

    /// Copies what it can of the WAL into the database file without waiting for readers or
    /// writers (a PASSIVE checkpoint).
    public func checkpoint() throws {
        let database = try open()
        let code = sqlite3_wal_checkpoint_v2(database, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
        guard code == SQLITE_OK else {
            throw SQLiteStatement.error(code: code, database: database, operation: "checkpointing the WAL")
        }
    }

    /// Hands this connection's automatic checkpoints to `checkpointer`.
    func checkpoint(with checkpointer: WALCheckpointer) throws {
        checkpointer.install(on: try open())
    }

    /// Runs `body` in a deferred read transaction so its queries see one snapshot.
    public func read<T>(_ body: () throws -> T) throws -> T {
        let database = try open()
        if sqlite3_get_autocommit(database) == 0 {
            return try body()
        }

        // BEGIN and COMMIT go through the statement cache like every query, so a request's
        // transactions do not parse them again each time.
        try query("BEGIN DEFERRED", operation: "beginning a read transaction")
        do {
            let result = try body()
            try query("COMMIT", operation: "ending a read transaction")
            return result
        } catch {
            try? execute("ROLLBACK", operation: "ending a read transaction")
            throw error
        }
    }

    private func configure(busyTimeout: Duration) throws {
        let database = try open()
        sqlite3_extended_result_codes(database, 1)
        let milliseconds = busyTimeout.components.seconds * 1000 + busyTimeout.components.attoseconds / 1_000_000_000_000_000
        sqlite3_busy_timeout(database, Int32(clamping: milliseconds))

        let rows = try query("PRAGMA journal_mode = WAL", operation: "enabling WAL")
        let journal = try rows.first?.string("journal_mode") ?? "unknown"
        guard journal.lowercased() == "wal" else {
            throw StoreError.sqlite(
                code: SQLITE_ERROR, operation: "enabling WAL on \(path)", message: "journal mode is still \(journal)")
        }
        try execute("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL", operation: "setting pragmas")
    }

    private func statement(_ sql: String, operation: String) throws -> SQLiteStatement {
        if let cached = statements[sql] {
            return cached
        }
        let prepared = try SQLiteStatement(database: try open(), sql: sql, operation: operation)
        statements[sql] = prepared
        return prepared
    }

    private func open() throws -> OpaquePointer {
        guard let handle else {
            throw StoreError.connectionClosed(path: path)
        }
        return handle
    }
}
