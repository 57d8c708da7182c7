import CSQLite
import Foundation
import Logging

/// `GatewayStore` over one SQLite file, with a small pool of connections so readers do not wait
/// for each other. Writers are serialized by SQLite's write lock (`BEGIN IMMEDIATE`).
public final class SQLiteStore: GatewayStore {
    public let path: String
    private let pool: SQLiteConnectionPool
    /// The lock this process's writers take before BEGIN. It is recursive, so a transaction
    /// started inside another one fails in SQLite, as it would without the lock, and does not
    /// deadlock here.
    private let writers = NSRecursiveLock()
    /// How long a writer waits for the database, first for this process's writers and then
    /// in SQLite's busy handler for other processes.
    private let busyTimeout: Duration

    /// Opens the database at `path`, creating and migrating it as needed.
    ///
    /// With `checkpointsInBackground`, a thread of the store copies the WAL into the database
    /// file, so the commit that fills the WAL does not. This suits long-running servers.
    ///
    /// - Throws: `StoreError.schemaTooNew` when the file was written by a newer estgate.
    public init(
        path: String, maximumConnections: Int = 8, checkpointsInBackground: Bool = false, busyTimeout: Duration = .seconds(5)
    ) throws {
        self.path = path
        self.busyTimeout = busyTimeout
        pool = try SQLiteConnectionPool(path: path, maximumConnections: maximumConnections, busyTimeout: busyTimeout)
        guard checkpointsInBackground else {
            return
        }
        do {
            try pool.checkpoint(with: WALCheckpointer(path: path, logger: Logger(label: "estgate.store")))
        } catch {
            try? pool.close()
            throw error
        }
    }

    public func read<T>(_ body: (any StoreSession) throws -> T) throws -> T {
        try pool.withConnection { connection in
            try connection.read {
                try body(SQLiteSession(connection: connection))
            }
        }
    }

    public func transaction<T>(_ body: (any StoreSession) throws -> T) throws -> T {
        // Writers of this process queue here and start the moment the previous one commits.
        // SQLite's busy handler instead sleeps and retries, up to 100 ms a turn, which under
        // concurrent enrollments left some requests waiting over a second.
        guard writers.lock(before: Date().addingTimeInterval(busyTimeout / .seconds(1))) else {
            throw StoreError.sqlite(
                code: SQLITE_BUSY, operation: "beginning a transaction on \(path)",
                message: "another transaction of this gateway held the database for \(busyTimeout)")
        }
        defer { writers.unlock() }
        return try pool.withConnection { connection in
            try connection.transaction {
                try body(SQLiteSession(connection: connection))
            }
        }
    }

    public func close() throws {
        try pool.close()
    }

    public var schemaVersion: Int {
        get throws {
            try pool.withConnection { try SchemaMigrator.version(of: $0) }
        }
    }

    /// The highest schema version this binary can open.
    public static var supportedSchemaVersion: Int { SchemaMigrator.latestVersion }
}
