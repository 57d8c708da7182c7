import Foundation
import PKI
import Testing
import TestSupport

/// Environment variable that turns on the probe in the child process; its value is the file the
/// probe writes the measured growth to.
private let leakProbeOutputVariable = "ESTGATE_PKI_LEAK_PROBE_OUTPUT"

@Suite("CertificateAuthority memory")
struct IssuingLeakTests {
    /// Allowed growth of the resident set over the 9,500 measured iterations: 8 MiB, under one
    /// kilobyte per issuance, while a leaked X509 with its extensions takes more than that.
    /// Growth measured without a leak was about 0.2 MiB.
    static let allowedGrowth = 8 * 1024 * 1024

    /// The loop runs in a child process running only the probe below, because tests running in
    /// parallel in this process would change its resident set while the loop measures it.
    @Test("issuing 10000 certificates does not leak")
    func issueLoop() throws {
        let directory = try TemporaryDirectory(prefix: "pki-leak")
        defer { directory.remove() }
        let outputPath = directory.file("growth")

        let result = try ProcessRunner.run(
            CommandLine.arguments[0],
            ["--testing-library", "swift-testing", "--filter", "PKITests.IssuingLeakProbe"],
            environment: [leakProbeOutputVariable: outputPath], timeout: 180)
        #expect(result.exitCode == 0, "probe failed: \(result.output)")

        let text = try String(contentsOfFile: outputPath, encoding: .utf8)
        let growth = try #require(Int(text.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(growth < Self.allowedGrowth, "resident set grew by \(growth) bytes")
    }
}

/// Issues 10,000 certificates and writes the resident-set growth after a 500-iteration warm-up.
/// Runs only in the child process started by `IssuingLeakTests`.
@Suite(
    "CertificateAuthority memory probe",
    .enabled(if: ProcessInfo.processInfo.environment[leakProbeOutputVariable] != nil, "runs only as a child process"))
struct IssuingLeakProbe {
    @Test("issue loop probe")
    func probe() throws {
        let outputPath = try #require(ProcessInfo.processInfo.environment[leakProbeOutputVariable])
        let pki = try TestPKI()
        let csr = try TestPKI.request()
        let warmUp = 500
        let total = 10_000
        let deadline = Date() + 120

        var baseline = 0
        for iteration in 0..<total {
            if iteration == warmUp {
                baseline = try Self.residentBytes()
            }
            let certificate = try pki.issuing.issue(csr: csr, profile: .deviceClient, now: TestPKI.now)
            _ = PKCS7.certsOnly([certificate])
            guard Date() < deadline else {
                Issue.record("stopped after \(iteration) iterations at the 120 s limit")
                return
            }
        }
        let growth = try Self.residentBytes() - baseline
        try String(growth).write(toFile: outputPath, atomically: true, encoding: .utf8)
    }

    /// Reads the resident set size from /proc/self/statm (second field, in pages).
    static func residentBytes() throws -> Int {
        let statm = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8)
        let fields = statm.split(separator: " ")
        let pages = try #require(fields.count > 1 ? Int(fields[1]) : nil)
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
