import Foundation
import Store
import Synchronization
import Testing

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
}
