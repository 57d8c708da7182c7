import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Opens blocking TCP sockets with a bounded connect time.
enum TCPConnector {
    /// Connects to the first address of `host` that accepts within `timeout` and returns the
    /// socket, blocking, with `ioTimeout` set on reads and writes and Nagle's algorithm off.
    static func connect(
        host: String, port: Int, timeout: TimeInterval, ioTimeout: TimeInterval
    ) throws(TLSClientError) -> Int32 {
        let addresses = try resolve(host: host, port: port)
        defer { freeaddrinfo(addresses) }

        var lastError = TLSClientError(.connectionFailed, "no address for \(host)")
        var entry: UnsafeMutablePointer<addrinfo>? = addresses
        while let address = entry {
            do throws(TLSClientError) {
                let descriptor = try connect(address.pointee, timeout: timeout, endpoint: "\(host):\(port)")
                do throws(TLSClientError) {
                    try configure(descriptor, ioTimeout: ioTimeout)
                } catch {
                    Glibc.close(descriptor)
                    throw error
                }
                return descriptor
            } catch {
                lastError = error
            }
            entry = address.pointee.ai_next
        }
        throw lastError
    }

    /// Socket addresses of `host`, which may be a name, an IPv4 literal or a bracketed IPv6 literal.
    /// The caller frees the list.
    private static func resolve(host: String, port: Int) throws(TLSClientError) -> UnsafeMutablePointer<addrinfo> {
        let name = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC

        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(name, String(port), &hints, &result)
        guard status == 0, let result else {
            throw TLSClientError(.resolution, "cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        return result
    }

    private static func connect(_ address: addrinfo, timeout: TimeInterval, endpoint: String) throws(TLSClientError) -> Int32 {
        let descriptor = try SystemCall.retrying("socket", code: .connectionFailed) {
            socket(address.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        }

        // A non-blocking connect followed by poll bounds the wait; the socket turns blocking after.
        if Glibc.connect(descriptor, address.ai_addr, address.ai_addrlen) != 0 {
            let error = errno
            guard error == EINPROGRESS || error == EINTR else {
                Glibc.close(descriptor)
                throw TLSClientError(.connectionFailed, "cannot connect to \(endpoint): \(SystemCall.describe(error))")
            }
            do throws(TLSClientError) {
                try waitUntilConnected(descriptor, timeout: timeout, endpoint: endpoint)
            } catch {
                Glibc.close(descriptor)
                throw error
            }
        }
        return descriptor
    }

    private static func waitUntilConnected(_ descriptor: Int32, timeout: TimeInterval, endpoint: String) throws(TLSClientError) {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else {
                throw TLSClientError(.timedOut, "connecting to \(endpoint) timed out after \(timeout) s")
            }

            var entry = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&entry, 1, Int32(min(remaining * 1000, Double(Int32.max)).rounded(.up)))
            if ready < 0 && errno == EINTR {
                continue
            }
            guard ready > 0 else {
                if ready == 0 {
                    continue
                }
                throw TLSClientError(.connectionFailed, "poll on \(endpoint) failed: \(SystemCall.describe(errno))")
            }
            break
        }

        var socketError: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        _ = try SystemCall.retrying("getsockopt SO_ERROR", code: .connectionFailed) {
            getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &socketError, &length)
        }
        guard socketError == 0 else {
            throw TLSClientError(.connectionFailed, "cannot connect to \(endpoint): \(SystemCall.describe(socketError))")
        }
    }

    private static func configure(_ descriptor: Int32, ioTimeout: TimeInterval) throws(TLSClientError) {
        let flags = try SystemCall.retrying("fcntl F_GETFL") { fcntl(descriptor, F_GETFL) }
        _ = try SystemCall.retrying("fcntl F_SETFL") { fcntl(descriptor, F_SETFL, flags & ~O_NONBLOCK) }

        var noDelay: Int32 = 1
        _ = try SystemCall.retrying("setsockopt TCP_NODELAY") {
            setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
        }

        let seconds = Int(ioTimeout)
        var interval = timeval(tv_sec: seconds, tv_usec: Int((ioTimeout - Double(seconds)) * 1_000_000))
        for option in [SO_RCVTIMEO, SO_SNDTIMEO] {
            _ = try SystemCall.retrying("setsockopt timeout") {
                setsockopt(descriptor, SOL_SOCKET, option, &interval, socklen_t(MemoryLayout<timeval>.size))
            }
        }
    }
}
