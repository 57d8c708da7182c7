/// The responses, latencies and failures one simulated device observed during a run.
struct WorkerResult: Sendable {
    /// Time from starting the request (including connecting) to the end of the response, per
    /// request that received one.
    var latenciesMilliseconds: [Double] = []
    var statusCounts: [Int: Int] = [:]
    /// Requests that received no response, by error kind, with one example message each.
    var failures: [String: (count: Int, example: String)] = [:]

    mutating func recordFailure(kind: String, message: String) {
        let count = (failures[kind]?.count ?? 0) + 1
        failures[kind] = (count, failures[kind]?.example ?? message)
    }

    mutating func merge(_ other: WorkerResult) {
        latenciesMilliseconds += other.latenciesMilliseconds
        statusCounts.merge(other.statusCounts, uniquingKeysWith: +)
        for (kind, failure) in other.failures {
            let count = (failures[kind]?.count ?? 0) + failure.count
            failures[kind] = (count, failures[kind]?.example ?? failure.example)
        }
    }
}
