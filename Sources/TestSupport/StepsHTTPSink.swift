import Foundation
import Synchronization

/// A small HTTP/1.1 server on 127.0.0.1 that records requests and replies from a script, for
/// testing the Webhook step against a real socket.
public final class StepsHTTPSink: Sendable {
    public struct Response: Sendable {
        public var status: Int
        public var body: String
        /// Seconds to wait before replying, to make the client time out.
        public var delay: TimeInterval
        public var headers: [String: String]

        public init(status: Int, body: String = "", delay: TimeInterval = 0, headers: [String: String] = [:]) {
            self.status = status
            self.body = body
            self.delay = delay
            self.headers = headers
        }
    }

    public struct Request: Sendable {
        public var method: String
        public var path: String
        /// Header names are lowercased.
        public var headers: [String: String]
        public var body: Data
    }

    private struct State {
        var responses: [Response]
        var requests: [Request] = []
        var stopped = false
    }

    private let listener: StepsTCPListener
    private let state: Mutex<State>
    private let finished = DispatchSemaphore(value: 0)

    /// Serves `responses` in order, repeating the last one.
    public init(responses: [Response]) throws {
        listener = try StepsTCPListener()
        state = Mutex(State(responses: responses))
        Thread.detachNewThread { [self] in
            listener.serve(until: { state.withLock { $0.stopped } }, handle: handle)
            finished.signal()
        }
    }

    public var url: String { "http://127.0.0.1:\(listener.port)" }

    public var requests: [Request] { state.withLock { $0.requests } }

    /// Stops accepting and waits for the serving thread to end.
    public func stop() {
        state.withLock { $0.stopped = true }
        finished.wait()
    }

    private func handle(_ connection: StepsTCPConnection) {
        guard let requestLine = connection.readLine() else {
            return
        }
        var headers: [String: String] = [:]
        while let line = connection.readLine(), !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else {
                continue
            }
            let name = line[..<colon].lowercased()
            headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        let body = connection.read(count: length) ?? []
        let parts = requestLine.split(separator: " ")
        let request = Request(
            method: parts.first.map(String.init) ?? "", path: parts.dropFirst().first.map(String.init) ?? "",
            headers: headers, body: Data(body))

        let response = state.withLock { state in
            state.requests.append(request)
            let index = min(state.requests.count, state.responses.count) - 1
            return state.responses[index]
        }

        let deadline = Date().addingTimeInterval(response.delay)
        while Date() < deadline, !state.withLock({ $0.stopped }) {
            usleep(20_000)
        }
        let extraHeaders = response.headers.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)\r\n" }.joined()
        connection.write(
            "HTTP/1.1 \(response.status) Status\r\nContent-Type: application/json\r\n" + extraHeaders
                + "Content-Length: \(response.body.utf8.count)\r\nConnection: close\r\n\r\n\(response.body)")
    }
}
