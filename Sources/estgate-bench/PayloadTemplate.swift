import Foundation
import PKI
import Workflows

/// The instance payload of a seeded request, made once as JSON text with sorted keys (as the
/// engine writes it) and completed per request by splicing in the request id and fingerprint.
struct PayloadTemplate {
    let csrDER: [UInt8]
    private let segments: [String]

    private static let requestIDMarker = "@@request-id@@"
    private static let fingerprintMarker = "@@fingerprint@@"

    init(target: PendingRequestSeeder.Target) throws {
        let key = try PrivateKey.generate(.ecdsa(.p256))
        let csr = try CertificateSigningRequest.create(
            subject: DistinguishedName([(type: "CN", value: "estgate-bench-seed")]), signingKey: key)
        csrDER = csr.derEncoded

        let facts = EnrollmentFacts(
            subject: "CN=estgate-bench-seed", commonName: "estgate-bench-seed", keyAlgorithm: "ecdsa", keyBits: 256,
            curve: "P-256", deviceName: target.device?.name, domainName: target.domain.name, caName: "seeded",
            remoteAddress: "127.0.0.1")
        var object = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(facts)) as? [String: Any] ?? [:]
        object["requestID"] = Self.requestIDMarker
        object["fingerprint"] = Self.fingerprintMarker
        object["protocol"] = "est"
        object["operation"] = "simpleenroll"
        object["caID"] = target.domain.caID
        object["domainID"] = target.domain.id
        object["deviceID"] = target.device.map { $0.id as Any } ?? NSNull()
        object["template"] = target.template
        object["csr"] = Data(csrDER).base64EncodedString()

        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        let text = String(decoding: data, as: UTF8.self)
        segments = text.components(separatedBy: Self.requestIDMarker).flatMap {
            $0.components(separatedBy: Self.fingerprintMarker)
        }
        // The keys are sorted, and "fingerprint" sorts before "requestID".
        guard segments.count == 3 else {
            throw SeedError("the payload template has \(segments.count - 1) markers instead of 2")
        }
    }

    func payload(requestID: String, fingerprint: String) -> String {
        segments[0] + fingerprint + segments[1] + requestID + segments[2]
    }
}
