import CSQLite
import Foundation

/// Connections to one database file, opened on demand up to a maximum and lent to one caller
/// at a time.
// A connection is only touched by the thread that checked it out; `condition` guards the arrays.
final class SQLiteConnectionPool: @unchecked Sendable {
    private let path: String
    private let maximumConnections: Int
    private let busyTimeout: Duration
    private let condition = NSCondition()
    private var idle: [SQLiteConnection] = []
    private var openCount = 0
    private var closed = false
    private var checkpointer: WALCheckpointer?

    /// Opens the first connection right away so migration errors surface at startup.
    init(path: String, maximumConnections: Int, busyTimeout: Duration) throws {
        self.path = path
        self.maximumConnections = max(1, maximumConnections)
        self.busyTimeout = busyTimeout
        idle.append(try SQLiteConnection(path: path, busyTimeout: busyTimeout))
        openCount = 1
    }

    /// Moves the WAL checkpoints of every connection, open or opened later, to `checkpointer`,
    /// which the pool stops when it closes.
    func checkpoint(with checkpointer: WALCheckpointer) throws {
        condition.lock()
        defer { condition.unlock() }
        self.checkpointer = checkpointer
        for connection in idle {
            try connection.checkpoint(with: checkpointer)
        }
    }

    func withConnection<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        let connection = try checkOut()
        defer { checkIn(connection) }
        return try body(connection)
    }

    /// Closes every connection after the borrowed ones come back, waiting at most `timeout`.
    func close(timeout: TimeInterval = 10) throws {
        condition.lock()
        closed = true
        let deadline = Date().addingTimeInterval(timeout)
        while idle.count < openCount {
            guard condition.wait(until: deadline) else {
                let borrowed = openCount - idle.count
                condition.unlock()
                throw StoreError.sqlite(
                    code: SQLITE_BUSY, operation: "closing \(path)",
                    message: "\(borrowed) connections still in use after \(Int(timeout)) s")
            }
        }
        let connections = idle
        idle.removeAll()
        openCount = 0
        let checkpointer = self.checkpointer
        self.checkpointer = nil
        condition.unlock()

        for connection in connections {
            try connection.close()
        }
        // The closed connections' hooks referred to the checkpointer, so it stops only now.
        try checkpointer?.stop()
    }

    private func checkOut() throws -> SQLiteConnection {
        condition.lock()
        while true {
            if closed {
                condition.unlock()
                throw StoreError.connectionClosed(path: path)
            }
            if let connection = idle.popLast() {
                condition.unlock()
                return connection
            }
            if openCount < maximumConnections {
                break
            }
            condition.wait()
        }
        openCount += 1
        let checkpointer = self.checkpointer
        condition.unlock()

        do {
            let connection = try SQLiteConnection(path: path, busyTimeout: busyTimeout)
            if let checkpointer {
                do {
                    try connection.checkpoint(with: checkpointer)
                } catch {
                    try? connection.close()
                    throw error
                }
            }
            return connection
        } catch {
            condition.lock()
            openCount -= 1
            condition.signal()
            condition.unlock()
            throw error
        }
    }

    private func checkIn(_ connection: SQLiteConnection) {
        condition.lock()
        idle.append(connection)
        condition.broadcast()
        condition.unlock()
    }
}
