import Foundation
import Synchronization

/// Runs `body` on `count` threads released at the same moment, and returns the results by index.
func runTogether<Result: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) -> Result) -> [Result] {
    let results = Mutex<[Int: Result]>([:])
    let start = DispatchSemaphore(value: 0)
    let finished = DispatchGroup()
    for index in 0..<count {
        finished.enter()
        Thread {
            start.wait()
            let result = body(index)
            results.withLock { $0[index] = result }
            finished.leave()
        }.start()
    }
    for _ in 0..<count {
        start.signal()
    }
    finished.wait()
    return results.withLock { results in (0..<count).compactMap { results[$0] } }
}
