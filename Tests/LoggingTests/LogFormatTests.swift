import Foundation
import Testing

@testable import Logging

@Suite("LogFormat")
struct LogFormatTests {
    let record = LogRecord(
        time: Date(timeIntervalSince1970: 1_796_500_000.25),
        level: .warning,
        label: "estgate.est",
        message: "enrollment rejected",
        metadata: ["request.id": "4f1c", "domain": "default", "reason": "key too small", "password": "hunter2"])

    @Test("logfmt orders keys and quotes spaces")
    func logfmtLine() {
        let line = LogFormat.logfmt.render(record)
        #expect(line == "time=2026-12-05T19:46:40.250Z level=warning msg=\"enrollment rejected\" logger=estgate.est domain=default password=[REDACTED] reason=\"key too small\" request.id=4f1c")
    }

    @Test("json line parses with every field")
    func jsonLine() throws {
        let line = LogFormat.json.render(record)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(object["msg"] == "enrollment rejected")
        #expect(object["level"] == "warning")
        #expect(object["request.id"] == "4f1c")
        #expect(object["password"] == "[REDACTED]")
    }

    @Test("control characters escaped in both formats")
    func controlCharacters() throws {
        var multiline = record
        multiline.message = "line one\nline \"two\""
        multiline.metadata = [:]
        #expect(LogFormat.logfmt.render(multiline).contains("msg=\"line one\\nline \\\"two\\\"\""))
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(LogFormat.json.render(multiline).utf8)) as? [String: String])
        #expect(object["msg"] == "line one\nline \"two\"")
    }

    @Test("level names round trip")
    func levelNames() {
        for level in Logger.Level.allCases {
            #expect(Logger.Level(name: level.name) == level)
        }
        #expect(Logger.Level(name: "WARNING") == .warning)
        #expect(Logger.Level(name: "verbose") == nil)
    }
}
