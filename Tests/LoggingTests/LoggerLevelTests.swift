import Testing

@testable import Logging

@Suite("Logger levels")
struct LoggerLevelTests {
    final class Counter: @unchecked Sendable {
        var evaluations = 0

        func metadata() -> Logger.Metadata {
            evaluations += 1
            return ["key": "value"]
        }

        func message() -> String {
            evaluations += 1
            return "message"
        }
    }

    @Test("disabled level evaluates nothing")
    func disabledLevel() {
        // No test changes the process-wide configuration, so its level stays at info.
        #expect(LoggingSystem.current.level == .info)
        let counter = Counter()
        let logger = Logger(label: "estgate.test")

        logger.debug(counter.message(), metadata: counter.metadata())
        logger.trace(counter.message(), metadata: counter.metadata())
        logger.log(level: .debug, counter.message(), metadata: counter.metadata())

        #expect(counter.evaluations == 0)
    }
}
