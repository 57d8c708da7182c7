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
}
