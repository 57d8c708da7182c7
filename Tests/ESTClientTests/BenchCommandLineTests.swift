import Foundation
import Testing
import TestSupport

/// Runs the built estgate-bench binary, which `swift build --build-tests` places next to the tests.
@Suite("estgate-bench command line", .serialized)
struct BenchCommandLineTests {
    private var benchPath: String {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/estgate-bench").path
    }

    @Test("non-loopback target rejected")
    func nonLoopbackTarget() throws {
        let result = try ProcessRunner.run(benchPath, ["--target", "192.0.2.1:8443", "--insecure-no-verification"])
        #expect(result.exitCode == 2)
        #expect(result.errorOutput == """
            estgate-bench: invalid value "192.0.2.1:8443" for --target: 192.0.2.1 resolves to 192.0.2.1, but only 127.0.0.1 and ::1 are allowed
            Run 'estgate-bench --help' for usage.

            """)
    }

    @Test("missing CA file option rejected")
    func missingCAFile() throws {
        let result = try ProcessRunner.run(benchPath, ["--target", "127.0.0.1:8443"])
        #expect(result.exitCode == 2)
        #expect(result.errorOutput.hasPrefix(
            "estgate-bench: missing --ca-file (or --insecure-no-verification for a server you cannot verify)\n"))
    }

    @Test("get workload counts every request")
    func getWorkload() throws {
        let pki = try ESTClientTestPKI()
        defer { pki.remove() }
        let server = try ESTClientSServer(
            certificateFile: pki.serverCertificateFile, keyFile: pki.serverKeyFile,
            outputFile: pki.directory.file("s_server.log"))
        defer { server.stop() }

        let result = try ProcessRunner.run(benchPath, [
            "--target", "127.0.0.1:\(server.port)", "--workload", "get", "--ca-file", pki.caCertificateFile,
            "--server-name", "localhost", "--concurrency", "2", "--requests", "12", "--duration", "20", "--json",
        ], timeout: 60)
        #expect(result.exitCode == 0, "\(result.errorOutput)")

        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput)) as? [String: Any])
        #expect(report["requests"] as? Int == 12)
        #expect(report["errors"] as? Int == 0)
        #expect((report["status_counts"] as? [String: Int])?["200"] == 12)
        #expect((report["latency_max_ms"] as? Double ?? 0) > 0)
        #expect((report["client_cpu_seconds"] as? Double ?? 0) > 0)
    }
}
