import Dispatch
import Foundation
import PKI
import Synchronization

/// CSRs made before the clock starts, so key generation and signing never count as load.
enum CSRPool {
    /// Keys shared by the CSRs of one run; distinct subjects keep every CSR distinct while
    /// avoiding one key generation (slow for RSA) per request.
    static let maximumKeys = 16

    /// Makes `count` CSRs with subjects `CN=<prefix>-<index>`, spread over `threads` threads.
    static func make(count: Int, key: KeySpec, subjectPrefix: String, threads: Int) throws -> [CertificateSigningRequest] {
        let keys = try (0..<min(count, maximumKeys)).map { _ in try PrivateKey.generate(key) }
        let chunkCount = max(1, min(threads, ProcessInfo.processInfo.activeProcessorCount, count))
        let chunkSize = (count + chunkCount - 1) / chunkCount
        let chunks = Mutex<[Int: Result<[CertificateSigningRequest], any Error>]>([:])

        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let range = (chunk * chunkSize)..<min(count, (chunk + 1) * chunkSize)
            let result = Result {
                try range.map { index in
                    try CertificateSigningRequest.create(
                        subject: DistinguishedName([(type: "CN", value: "\(subjectPrefix)-\(index)")]),
                        signingKey: keys[index % keys.count])
                }
            }
            chunks.withLock { $0[chunk] = result }
        }

        return try chunks.withLock { results in
            try (0..<chunkCount).flatMap { chunk in
                // Every chunk index was stored by concurrentPerform before it returned.
                try results[chunk]!.get()
            }
        }
    }
}
