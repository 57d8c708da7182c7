import Foundation
import Store
import Synchronization
import Testing
import TestSupport

@Suite("SQLiteStore concurrent writers")
struct ConcurrentWriterTests {
    @Test("concurrent transactions all commit")
    func allCommit() throws {
        let fixture = try StoreFixture()
        defer { fixture.finish() }
        let store = fixture.store
        let failures = Mutex<[String]>([])

        // More writers than pooled connections, each committing many small transactions.
        DispatchQueue.concurrentPerform(iterations: 16) { writer in
            for index in 0..<40 {
                do {
                    _ = try store.transaction { try $0.appendAuditEvent(AuditEventRecord(event: "writer.\(writer).\(index)")) }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }

        #expect(failures.withLock { $0 } == [])
        #expect(try store.read { try $0.auditEvents(AuditEventFilter(limit: 10_000)) }.count == 640)
    }

    @Test("queued writers keep the busy timeout")
    func queuedWritersTimeOut() throws {
        let directory = try TemporaryDirectory(prefix: "estgate-busy")
        defer { directory.remove() }
        let path = directory.file("estgate.sqlite3")
        let store = try SQLiteStore(path: path, busyTimeout: .milliseconds(300))
        defer { try? store.close() }
        // Another connection, as another process would, holds the write lock throughout.
        let other = try SQLiteConnection(path: path)
        defer { try? other.close() }
        try other.execute("BEGIN IMMEDIATE", operation: "holding the write lock")
        let waits = Mutex<[Double]>([])
        let finished = DispatchGroup()

        // Threads of their own, so that all eight writers queue at once.
        for _ in 0..<8 {
            finished.enter()
            Thread.detachNewThread {
                let started = Date()
                #expect(throws: StoreError.self) {
                    try store.transaction { try $0.appendAuditEvent(AuditEventRecord(event: "blocked")) }
                }
                waits.withLock { $0.append(Date().timeIntervalSince(started)) }
                finished.leave()
            }
        }
        finished.wait()

        try other.execute("ROLLBACK", operation: "releasing the write lock")
        // Each writer waits at most the timeout for the writers ahead of it and at most the
        // timeout in SQLite. Queued one behind another, the eighth would wait 2.4 s.
        let longest = try #require(waits.withLock { $0.max() })
        #expect(longest < 1.5, "a writer waited \(longest) s")
    }
}
