import Foundation
import Store
import Testing

@Suite("RecordID")
struct RecordIDTests {
    @Test("make returns lowercase version 4 UUIDs")
    func versionFourLowercase() throws {
        for _ in 0..<200 {
            let id = RecordID.make()

            #expect(id == id.lowercased())
            let parsed = try #require(UUID(uuidString: id), "\(id) is not a UUID")
            #expect(parsed.uuidString.lowercased() == id)
            let bytes = withUnsafeBytes(of: parsed.uuid) { Array($0) }
            #expect(bytes[6] >> 4 == 4, "version nibble of \(id)")
            #expect(bytes[8] >> 6 == 0b10, "variant bits of \(id)")
        }
    }

    @Test("make repeats no id in 10,000 calls")
    func distinct() {
        let ids = (0..<10_000).map { _ in RecordID.make() }

        #expect(Set(ids).count == ids.count)
    }

    @Test("new enrollment requests get distinct ids")
    func enrollmentRequestDefault() {
        let first = EnrollmentRequestRecord(
            protocolName: "est", operation: "simpleenroll", caID: 1, domainID: 1, deviceID: nil, fingerprint: "ab",
            template: "device", aggregatedState: "Running", csrDER: [0x30, 0x00])
        let second = EnrollmentRequestRecord(
            protocolName: "est", operation: "simpleenroll", caID: 1, domainID: 1, deviceID: nil, fingerprint: "ab",
            template: "device", aggregatedState: "Running", csrDER: [0x30, 0x00])

        #expect(first.id != second.id)
        #expect(UUID(uuidString: first.id) != nil)
    }
}
