import Foundation

/// The summary of a run, rendered as an aligned table or one JSON object.
struct BenchReport {
    var settings: BenchSettings
    var result: WorkerResult
    var elapsedSeconds: Double
    /// Server CPU seconds consumed during the run, when --server-pid was given.
    var serverCPUSeconds: Double?
    /// CPU seconds of this process (all simulated devices) during the run. At concurrency 1 the
    /// devices' work adds to every request's latency, as the server's does.
    var clientCPUSeconds: Double?
    /// Server peak RSS over its whole life (VmHWM), not only this run.
    var serverPeakResidentBytes: Int?

    private var successStatuses: Set<Int> {
        switch settings.workload {
        case .enroll, .poll: [200, 202]
        case .cacerts, .get: [200]
        }
    }

    private var responses: Int { result.statusCounts.values.reduce(0, +) }
    private var failures: Int { result.failures.values.map(\.count).reduce(0, +) }
    private var requests: Int { responses + failures }

    private var errors: Int {
        failures + result.statusCounts.filter { !successStatuses.contains($0.key) }.values.reduce(0, +)
    }

    /// Whether at least one request received a status the workload counts as success.
    var hasSuccess: Bool {
        result.statusCounts.keys.contains { successStatuses.contains($0) }
    }

    private var requestsPerSecond: Double {
        elapsedSeconds > 0 ? Double(requests) / elapsedSeconds : 0
    }

    /// Nearest-rank percentile of the latencies, in milliseconds.
    private func latency(_ percentile: Double) -> Double? {
        let sorted = result.latenciesMilliseconds.sorted()
        guard !sorted.isEmpty else {
            return nil
        }
        let rank = Int((percentile / 100 * Double(sorted.count)).rounded(.up))
        return sorted[max(0, min(sorted.count - 1, rank - 1))]
    }

    func table() -> String {
        var rows: [(String, String)] = [
            ("workload", settings.workload.rawValue),
            ("target", "\(settings.target.host):\(settings.target.port)"),
            ("concurrency", String(settings.concurrency)),
            ("connections", settings.client.keepAlive ? "kept alive" : "new per request"),
            ("requests", String(requests)),
            ("errors", String(errors)),
        ]
        for (status, count) in result.statusCounts.sorted(by: { $0.key < $1.key }) {
            rows.append(("  status \(status)", String(count)))
        }
        for (kind, failure) in result.failures.sorted(by: { $0.key < $1.key }) {
            rows.append(("  \(kind)", "\(failure.count) (\(failure.example))"))
        }
        rows.append(("elapsed", String(format: "%.2f s", elapsedSeconds)))
        rows.append(("requests/s", String(format: "%.1f", requestsPerSecond)))
        for percentile in [50.0, 90.0, 99.0, 100.0] {
            let name = percentile == 100 ? "latency max" : "latency p\(Int(percentile))"
            rows.append((name, latency(percentile).map { String(format: "%.2f ms", $0) } ?? "-"))
        }
        if let serverCPUSeconds {
            rows.append(("server CPU", String(format: "%.2f s", serverCPUSeconds)))
        }
        if let clientCPUSeconds {
            rows.append(("client CPU", String(format: "%.2f s", clientCPUSeconds)))
        }
        if let serverPeakResidentBytes {
            rows.append(("server peak RSS", String(format: "%.1f MiB", Double(serverPeakResidentBytes) / 1_048_576)))
        }

        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { label, value in
            label + String(repeating: " ", count: width - label.count + 2) + value
        }.joined(separator: "\n") + "\n"
    }

    func json() throws -> String {
        var object: [String: Any] = [
            "workload": settings.workload.rawValue,
            "target": "\(settings.target.host):\(settings.target.port)",
            "concurrency": settings.concurrency,
            "keep_alive": settings.client.keepAlive,
            "requests": requests,
            "errors": errors,
            "status_counts": Dictionary(uniqueKeysWithValues: result.statusCounts.map { (String($0.key), $0.value) }),
            "failures": result.failures.mapValues { ["count": $0.count, "example": $0.example] as [String: Any] },
            "elapsed_seconds": elapsedSeconds,
            "requests_per_second": requestsPerSecond,
        ]
        for (key, percentile) in [("p50", 50.0), ("p90", 90.0), ("p99", 99.0), ("max", 100.0)] {
            object["latency_\(key)_ms"] = latency(percentile) ?? NSNull()
        }
        object["server_cpu_seconds"] = serverCPUSeconds ?? NSNull()
        object["client_cpu_seconds"] = clientCPUSeconds ?? NSNull()
        object["server_peak_rss_bytes"] = serverPeakResidentBytes ?? NSNull()

        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
