import Dispatch
import ESTClient
import Foundation
import PKI
import Synchronization

/// Runs the simulated devices, one thread each, until the request or time cap is reached.
final class LoadRunner: Sendable {
    let settings: BenchSettings
    let csrs: [CertificateSigningRequest]
    private let nextIndex = Atomic<Int>(0)
    /// Uptime in nanoseconds after which no new request starts; set just before the start signal.
    private let deadline = Atomic<UInt64>(0)
    private let results = Mutex<[WorkerResult]>([])

    init(settings: BenchSettings, csrs: [CertificateSigningRequest]) {
        self.settings = settings
        self.csrs = csrs
    }

    /// Starts the workers, waits until all have finished, and returns their merged results with
    /// the elapsed time in seconds.
    func run() -> (result: WorkerResult, elapsed: Double) {
        let ready = DispatchGroup()
        let finished = DispatchGroup()
        let start = DispatchSemaphore(value: 0)

        for _ in 0..<settings.concurrency {
            ready.enter()
            finished.enter()
            let thread = Thread { [self] in
                let result = work(ready: ready, start: start)
                results.withLock { $0.append(result) }
                finished.leave()
            }
            thread.start()
        }

        ready.wait()
        let startTime = DispatchTime.now().uptimeNanoseconds
        deadline.store(startTime + UInt64(settings.duration * 1_000_000_000), ordering: .sequentiallyConsistent)
        for _ in 0..<settings.concurrency {
            start.signal()
        }
        finished.wait()
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - startTime) / 1_000_000_000

        var merged = WorkerResult()
        for result in results.withLock({ $0 }) {
            merged.merge(result)
        }
        return (merged, elapsed)
    }

    private func work(ready: DispatchGroup, start: DispatchSemaphore) -> WorkerResult {
        var result = WorkerResult()
        let client: ESTClient
        do {
            client = try ESTClient(configuration: settings.client)
        } catch {
            result.recordFailure(kind: "setup", message: "\(error)")
            ready.leave()
            return result
        }
        ready.leave()
        start.wait()

        while true {
            let index = nextIndex.add(1, ordering: .relaxed).oldValue
            let begin = DispatchTime.now().uptimeNanoseconds
            guard index < settings.requests, begin < deadline.load(ordering: .sequentiallyConsistent) else {
                break
            }

            do {
                let status = try perform(client, index: index)
                let end = DispatchTime.now().uptimeNanoseconds
                result.latenciesMilliseconds.append(Double(end - begin) / 1_000_000)
                result.statusCounts[status, default: 0] += 1
            } catch {
                result.recordFailure(kind: Self.kind(of: error), message: "\(error)")
            }
        }

        do {
            try client.close()
        } catch {
            result.recordFailure(kind: "close", message: "\(error)")
        }
        return result
    }

    /// Sends request number `index` and returns the HTTP status it received.
    private func perform(_ client: ESTClient, index: Int) throws -> Int {
        switch settings.workload {
        case .get:
            return try client.send(HTTPRequest(method: "GET", path: settings.path)).status
        case .cacerts:
            return try client.send(HTTPRequest(method: "GET", path: client.path("cacerts"))).status
        case .enroll, .poll:
            switch try client.simpleEnroll(csr: csrs[index % csrs.count]) {
            case .issued: return 200
            case .pending: return 202
            case .rejected(let status, _): return status
            }
        }
    }

    private static func kind(of error: any Error) -> String {
        switch error {
        case let error as TLSClientError: "tls.\(error.code)"
        case let error as ESTClientError: "http.\(error.code)"
        default: String(describing: type(of: error))
        }
    }
}
