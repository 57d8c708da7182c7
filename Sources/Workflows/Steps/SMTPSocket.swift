import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A non-blocking TCP socket whose reads and writes wait with `poll` until one deadline for the
/// whole SMTP session, so a stalled or slow relay cannot hold the worker thread longer.
final class SMTPSocket {
    private(set) var descriptor: Int32
    let deadline: DispatchTime

    private init(descriptor: Int32, deadline: DispatchTime) {
        self.descriptor = descriptor
        self.deadline = deadline
    }

    deinit {
        close()
    }

    /// Connects to the first address of `host` that accepts within the deadline.
    static func connect(host: String, port: Int, deadline: DispatchTime) throws(SMTPError) -> SMTPSocket {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw .transient("cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(first) }

        var lastError = "no address"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let address = entry {
            entry = address.pointee.ai_next
            let descriptor = socket(address.pointee.ai_family, address.pointee.ai_socktype, address.pointee.ai_protocol)
            guard descriptor >= 0 else {
                lastError = String(cString: strerror(errno))
                continue
            }
            let connection = SMTPSocket(descriptor: descriptor, deadline: deadline)
            do {
                try connection.connect(to: address.pointee.ai_addr, length: address.pointee.ai_addrlen)
                return connection
            } catch {
                lastError = error.message
            }
        }
        throw .transient("cannot connect to \(host):\(port): \(lastError)")
    }

    private func connect(to address: UnsafeMutablePointer<sockaddr>, length: socklen_t) throws(SMTPError) {
        let flags = fcntl(descriptor, F_GETFL)
        guard flags >= 0, fcntl(descriptor, F_SETFL, flags | O_NONBLOCK) >= 0 else {
            throw .transient("fcntl failed: \(String(cString: strerror(errno)))")
        }

        // A connect interrupted by a signal keeps going in the background, so EINTR is
        // handled like EINPROGRESS: wait for writability, then read SO_ERROR.
        if Glibc.connect(descriptor, address, length) < 0 {
            guard errno == EINPROGRESS || errno == EINTR else {
                throw .transient(String(cString: strerror(errno)))
            }
            try wait(for: Int16(POLLOUT))
            var socketError: Int32 = 0
            var size = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &socketError, &size) == 0, socketError == 0 else {
                throw .transient(String(cString: strerror(socketError)))
            }
        }
    }

    /// Waits until the socket is ready for `events` or the deadline passes.
    func wait(for events: Int16) throws(SMTPError) {
        while true {
            let now = DispatchTime.now()
            guard now < deadline else {
                throw .transient("timed out")
            }
            let milliseconds = Int32(min((deadline.uptimeNanoseconds - now.uptimeNanoseconds) / 1_000_000 + 1, 60_000))
            var entry = pollfd(fd: descriptor, events: events, revents: 0)
            let ready = poll(&entry, 1, milliseconds)
            if ready > 0 {
                return
            }
            if ready < 0 && errno != EINTR {
                throw .transient("poll failed: \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Reads what is available, waiting for at least one byte; returns 0 bytes at end of stream.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(SMTPError) -> Int {
        while true {
            let count = recv(descriptor, buffer.baseAddress, buffer.count, 0)
            if count >= 0 {
                return count
            }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: try wait(for: Int16(POLLIN))
            default: throw .transient("read failed: \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Writes all of `bytes`.
    func write(_ bytes: [UInt8]) throws(SMTPError) {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { chunk in
                send(descriptor, chunk.baseAddress, chunk.count, Int32(MSG_NOSIGNAL))
            }
            if count >= 0 {
                offset += count
                continue
            }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: try wait(for: Int16(POLLOUT))
            default: throw .transient("write failed: \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Closes the socket; later calls do nothing. A failed close(2) on a socket loses no data
    /// that SMTP still needs, because the relay has already replied to everything sent.
    func close() {
        guard descriptor >= 0 else {
            return
        }
        _ = Glibc.close(descriptor)
        descriptor = -1
    }
}
