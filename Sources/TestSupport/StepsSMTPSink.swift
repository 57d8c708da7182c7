import Foundation
import Synchronization

/// A small SMTP server on 127.0.0.1 that records envelopes and messages, for testing the Email
/// step against a real socket. It offers no STARTTLS.
public final class StepsSMTPSink: Sendable {
    public struct Delivery: Sendable, Equatable {
        public var mailFrom: String
        public var recipients: [String]
        /// The DATA section exactly as received, dot-stuffed, without the final ".".
        public var rawData: String
        /// The message after removing dot-stuffing.
        public var message: String
    }

    private struct State {
        var deliveries: [Delivery] = []
        var commands: [String] = []
        var stopped = false
    }

    /// The reply to the end of DATA, such as `"250 queued"` or `"451 try later"`.
    private let dataReply: String
    private let listener: StepsTCPListener
    private let state = Mutex(State())
    private let finished = DispatchSemaphore(value: 0)

    public init(dataReply: String = "250 2.0.0 queued") throws {
        self.dataReply = dataReply
        listener = try StepsTCPListener()
        Thread.detachNewThread { [self] in
            listener.serve(until: { state.withLock { $0.stopped } }, handle: converse)
            finished.signal()
        }
    }

    public var port: Int { listener.port }

    /// Messages whose DATA the sink accepted with 250.
    public var deliveries: [Delivery] { state.withLock { $0.deliveries } }

    /// Every command line received, in order, across connections.
    public var commands: [String] { state.withLock { $0.commands } }

    public func stop() {
        state.withLock { $0.stopped = true }
        finished.wait()
    }

    private func converse(_ connection: StepsTCPConnection) {
        connection.write("220 sink.localhost ESMTP\r\n")
        var mailFrom = ""
        var recipients: [String] = []
        while let line = connection.readLine() {
            state.withLock { $0.commands.append(line) }
            let verb = line.prefix(while: { $0 != " " && $0 != ":" }).uppercased()
            switch verb {
            case "EHLO":
                connection.write("250-sink.localhost\r\n250-8BITMIME\r\n250 SIZE 1000000\r\n")
            case "MAIL":
                mailFrom = Self.address(in: line)
                connection.write("250 2.1.0 ok\r\n")
            case "RCPT":
                recipients.append(Self.address(in: line))
                connection.write("250 2.1.5 ok\r\n")
            case "DATA":
                connection.write("354 end with <CRLF>.<CRLF>\r\n")
                var rawLines: [String] = []
                while let dataLine = connection.readLine(), dataLine != "." {
                    rawLines.append(dataLine)
                }
                let message = rawLines.map { $0.hasPrefix(".") ? String($0.dropFirst()) : $0 }
                if dataReply.hasPrefix("250") {
                    let delivery = Delivery(
                        mailFrom: mailFrom, recipients: recipients,
                        rawData: rawLines.map { $0 + "\r\n" }.joined(), message: message.map { $0 + "\r\n" }.joined())
                    state.withLock { $0.deliveries.append(delivery) }
                }
                connection.write(dataReply + "\r\n")
            case "QUIT":
                connection.write("221 2.0.0 bye\r\n")
                return
            default:
                connection.write("502 5.5.2 command not recognized\r\n")
            }
        }
    }

    /// Returns the address between angle brackets in `MAIL FROM:<a@b>`.
    private static func address(in line: String) -> String {
        guard let open = line.firstIndex(of: "<"), let close = line.lastIndex(of: ">"), open < close else {
            return ""
        }
        return String(line[line.index(after: open)..<close])
    }
}
