import Foundation
import Store
import Testing
import TestSupport

@Suite("WAL checkpoints in the background")
struct WALCheckpointTests {
    static func fileSize(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
    }

    /// Commits enough audit rows to pass the 1,000-page checkpoint threshold, one transaction each.
    static func fillWAL(_ store: SQLiteStore) throws {
        let details = "{\"padding\": \"" + String(repeating: "x", count: 12_000) + "\"}"
        for index in 0..<400 {
            _ = try store.transaction { try $0.appendAuditEvent(AuditEventRecord(event: "test.\(index)", details: details)) }
        }
    }

    @Test("background checkpoint copies the WAL")
    func copiesWAL() throws {
        let directory = try TemporaryDirectory(prefix: "estgate-wal")
        defer { directory.remove() }
        let path = directory.file("estgate.sqlite3")
        let store = try SQLiteStore(path: path, checkpointsInBackground: true)
        let before = try Self.fileSize(path)

        try Self.fillWAL(store)

        // The checkpoint runs on its own thread, so it may finish up to 10 s later. The rows hold
        // 4.8 MB, and only a checkpoint moves rows from the WAL into the database file.
        var after = try Self.fileSize(path)
        for _ in 0..<100 where after < before + 2_000_000 {
            Thread.sleep(forTimeInterval: 0.1)
            after = try Self.fileSize(path)
        }
        #expect(after >= before + 2_000_000, "database file is \(after) bytes (was \(before))")

        try store.close()
        let reopened = try SQLiteStore(path: path)
        defer { try? reopened.close() }
        #expect(try reopened.read { try $0.auditEvents(AuditEventFilter(limit: 1000)) }.count == 400)
    }

    @Test("commit checkpoints without background thread")
    func checkpointsOnCommit() throws {
        let directory = try TemporaryDirectory(prefix: "estgate-wal")
        defer { directory.remove() }
        let path = directory.file("estgate.sqlite3")
        let store = try SQLiteStore(path: path)
        defer { try? store.close() }
        let before = try Self.fileSize(path)

        try Self.fillWAL(store)

        #expect(try Self.fileSize(path) >= before + 2_000_000)
    }

    @Test("checkpoint busy under a held lock")
    func checkpointBusyElsewhere() throws {
        let directory = try TemporaryDirectory(prefix: "estgate-wal")
        defer { directory.remove() }
        let path = directory.file("estgate.sqlite3")
        let store = try SQLiteStore(path: path)
        defer { try? store.close() }
        _ = try store.transaction { try $0.appendAuditEvent(AuditEventRecord(event: "test.before", details: "{}")) }
        let connection = try SQLiteConnection(path: path)
        defer { try? connection.close() }

        // SQLite's unix VFS takes the checkpoint lock as a POSIX lock on byte 121 of the -shm
        // file. POSIX locks do not conflict within one process, so another process holds it.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: try ProcessRunner.resolve("python3"))
        holder.arguments = [
            "-c",
            "import fcntl, os, sys\n"
                + "fd = os.open(sys.argv[1], os.O_RDWR)\n"
                + "fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, 121)\n"
                + "print('locked', flush=True)\n"
                + "sys.stdin.read()\n",
            path + "-shm",
        ]
        let input = Pipe()
        let output = Pipe()
        holder.standardInput = input
        holder.standardOutput = output
        try holder.run()
        defer {
            try? input.fileHandleForWriting.close()
            holder.waitUntilExit()
        }
        let firstLine = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        try #require(firstLine.hasPrefix("locked"), "the lock holder printed \(firstLine)")

        #expect(throws: StoreError.sqlite(code: 5, operation: "checkpointing the WAL", message: "database is locked")) {
            try connection.checkpoint()
        }

        try input.fileHandleForWriting.close()
        holder.waitUntilExit()
        try connection.checkpoint()
        #expect(try store.read { try $0.auditEvents(AuditEventFilter(limit: 10)) }.count == 1)
    }
}
