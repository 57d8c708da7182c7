import Foundation
import Store
import Testing
import Workflows

@Suite("WorkflowEngine issue at once")
struct EngineIssueAtOnceTests {
    struct SigningFailed: Error {}

    /// An issuer that records the request ids it signs for.
    final class RecordingIssuer {
        var requestIDs: [String] = []

        func issuer(_ fixture: EngineFixture, serial: String) -> (String) throws -> IssuedCertificateRecord {
            { requestID in
                self.requestIDs.append(requestID)
                return fixture.certificate(serial: serial)
            }
        }
    }

    @Test("passed request issued in one call")
    func passedRequest() throws {
        let fixture = try EngineFixture()
        defer { fixture.finish() }
        let signer = RecordingIssuer()

        let status = try fixture.engine.submitEnrollment(
            fixture.identity(), facts: fixture.facts, csrDER: [0x30, 0x00], issuer: signer.issuer(fixture, serial: "0A"))

        #expect(signer.requestIDs == [status.requestID])
        #expect(status.created)
        #expect(status.state == .finalized)
        #expect(status.issuedInThisCall)
        #expect(status.firstCertificateForDevice)
        #expect(status.issuedCertificateDER == Array("certificate 0A".utf8))
        let request = try #require(try fixture.request(status.requestID))
        #expect(request.finalized)
        #expect(request.certificateID != nil)
        #expect(try fixture.audit(status.requestID).map(\.event).contains("certificate.issued"))
    }

    @Test("second certificate not the first")
    func secondCertificate() throws {
        let fixture = try EngineFixture()
        defer { fixture.finish() }
        _ = try fixture.engine.submitEnrollment(
            fixture.identity(fingerprint: "aa"), facts: fixture.facts, csrDER: [0x30, 0x00],
            issuer: { _ in fixture.certificate(serial: "01") })

        let second = try fixture.engine.submitEnrollment(
            fixture.identity(fingerprint: "bb"), facts: fixture.facts, csrDER: [0x30, 0x00],
            issuer: { _ in fixture.certificate(serial: "02") })

        #expect(second.issuedInThisCall)
        #expect(!second.firstCertificateForDevice)
    }

    @Test("pending request not signed")
    func pendingRequest() throws {
        let fixture = try EngineFixture()
        defer { fixture.finish() }
        try fixture.publish("manual", steps: [.approval("approve")])
        let signer = RecordingIssuer()

        let status = try fixture.engine.submitEnrollment(
            fixture.identity(), facts: fixture.facts, csrDER: [0x30, 0x00], issuer: signer.issuer(fixture, serial: "01"))

        #expect(signer.requestIDs.isEmpty)
        #expect(status.state == .awaitingApproval)
        #expect(!status.issuedInThisCall)
        #expect(status.issuedCertificateDER == nil)
    }

    @Test("failed signing keeps request passed")
    func failedSigning() throws {
        let fixture = try EngineFixture()
        defer { fixture.finish() }

        let status = try fixture.engine.submitEnrollment(
            fixture.identity(), facts: fixture.facts, csrDER: [0x30, 0x00], issuer: { _ in throw SigningFailed() })

        #expect(status.state == .passed)
        #expect(!status.issuedInThisCall)
        #expect(status.issuedCertificateDER == nil)
        let request = try #require(try fixture.request(status.requestID))
        #expect(!request.finalized)
        let recorded = try fixture.engine.recordIssuedCertificate(
            requestID: status.requestID, certificate: fixture.certificate(serial: "03"))
        #expect(recorded.state == .finalized)
        #expect(recorded.issuedInThisCall)
        #expect(!recorded.created)
    }

    @Test("issued request not signed again")
    func retryOfIssuedRequest() throws {
        let fixture = try EngineFixture()
        defer { fixture.finish() }
        let first = try fixture.engine.submitEnrollment(
            fixture.identity(), facts: fixture.facts, csrDER: [0x30, 0x00],
            issuer: { _ in fixture.certificate(serial: "01") })
        let signer = RecordingIssuer()

        let retry = try fixture.engine.submitEnrollment(
            fixture.identity(), facts: fixture.facts, csrDER: [0x30, 0x00], issuer: signer.issuer(fixture, serial: "02"))

        #expect(signer.requestIDs.isEmpty)
        #expect(retry.requestID == first.requestID)
        #expect(!retry.issuedInThisCall)
        #expect(retry.issuedCertificateDER == Array("certificate 01".utf8))
    }
}
