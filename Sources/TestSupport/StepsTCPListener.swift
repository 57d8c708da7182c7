import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A TCP listener on 127.0.0.1 with an ephemeral port, for the test sinks of step executors.
public final class StepsTCPListener: Sendable {
    public let port: Int
    private let descriptor: Int32

    public init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else {
            throw ProcessRunnerError(description: "socket failed: \(String(cString: strerror(errno)))")
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(descriptor, 16) == 0 else {
            let message = String(cString: strerror(errno))
            close(descriptor)
            throw ProcessRunnerError(description: "bind or listen on 127.0.0.1 failed: \(message)")
        }

        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        self.descriptor = descriptor
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit {
        close(descriptor)
    }

    /// Hands each connection to `handle`, one at a time, until `isStopped` returns true or two
    /// minutes pass, whichever comes first.
    public func serve(until isStopped: () -> Bool, handle: (StepsTCPConnection) -> Void) {
        let end = Date().addingTimeInterval(120)
        while Date() < end, !isStopped() {
            guard let connection = accept(timeout: 0.1) else {
                continue
            }
            handle(connection)
        }
    }

    /// Waits up to `timeout` seconds for a connection and returns nil when none arrived.
    public func accept(timeout: TimeInterval) -> StepsTCPConnection? {
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&entry, 1, Int32(timeout * 1_000)) > 0 else {
            return nil
        }
        let client = Glibc.accept(descriptor, nil, nil)
        return client >= 0 ? StepsTCPConnection(descriptor: client) : nil
    }
}

/// One accepted connection with line and byte reads that give up after 10 seconds of silence.
public final class StepsTCPConnection {
    public let descriptor: Int32
    private var buffer: [UInt8] = []

    init(descriptor: Int32) {
        self.descriptor = descriptor
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit {
        close(descriptor)
    }

    /// Returns the next line without its CRLF, or nil at end of stream.
    public func readLine() -> String? {
        while true {
            if let end = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(buffer[..<end])
                buffer.removeSubrange(...end)
                if line.last == UInt8(ascii: "\r") {
                    line.removeLast()
                }
                return String(decoding: line, as: UTF8.self)
            }
            guard fill() else {
                return nil
            }
        }
    }

    /// Returns exactly `count` bytes, or nil if the stream ends first.
    public func read(count: Int) -> [UInt8]? {
        while buffer.count < count {
            guard fill() else {
                return nil
            }
        }
        let bytes = Array(buffer[..<count])
        buffer.removeSubrange(..<count)
        return bytes
    }

    public func write(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let sent = bytes.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent < 0 && errno == EINTR {
                continue
            }
            guard sent > 0 else {
                return
            }
            bytes = bytes.dropFirst(sent)
        }
    }

    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 4_096)
        while true {
            let count = recv(descriptor, &chunk, chunk.count, 0)
            if count < 0 && errno == EINTR {
                continue
            }
            guard count > 0 else {
                return false
            }
            buffer += chunk[..<count]
            return true
        }
    }
}
