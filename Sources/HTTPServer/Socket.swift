import Glibc

/// A socket file descriptor with an explicit `close()`; `deinit` only checks that it happened.
final class Socket {
    let descriptor: Int32
    private var isClosed = false

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        assert(isClosed, "socket \(descriptor) was not closed")
    }

    func close() {
        guard !isClosed else {
            return
        }
        isClosed = true
        // close(2) releases the descriptor even when it reports an error, so there is nothing to retry.
        _ = Glibc.close(descriptor)
    }

    func setNoDelay() throws(SystemCallError) {
        var enabled: Int32 = 1
        try SystemCall.run("setsockopt(TCP_NODELAY)") {
            setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &enabled, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    /// Opens a non-blocking listening socket bound to `address`.
    static func listen(on address: ListenAddress, backlog: Int32 = 1024) throws(HTTPServerError) -> Socket {
        guard let family = ListenAddress.family(of: address.host) else {
            throw HTTPServerError(.invalidListenAddress, "listen address \(address) is not an IPv4 or IPv6 address")
        }

        let socket: Socket
        do {
            let descriptor = try SystemCall.run("socket") {
                Glibc.socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            }
            socket = Socket(descriptor: descriptor)
        } catch {
            throw HTTPServerError(.systemCall, "opening a socket for \(address) failed: \(error)")
        }

        do {
            var enabled: Int32 = 1
            try SystemCall.run("setsockopt(SO_REUSEADDR)") {
                setsockopt(socket.descriptor, SOL_SOCKET, SO_REUSEADDR, &enabled, socklen_t(MemoryLayout<Int32>.size))
            }
            if family == AF_INET6 {
                try SystemCall.run("setsockopt(IPV6_V6ONLY)") {
                    setsockopt(socket.descriptor, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &enabled, socklen_t(MemoryLayout<Int32>.size))
                }
            }
            _ = try SocketAddress(host: address.host, port: address.port, family: family).withSockaddr { pointer, length throws(SystemCallError) in
                try SystemCall.run("bind") { bind(socket.descriptor, pointer, length) }
            }
            try SystemCall.run("listen") { Glibc.listen(socket.descriptor, backlog) }
        } catch {
            socket.close()
            throw HTTPServerError(.systemCall, "listening on \(address) failed: \(error)")
        }
        return socket
    }

    /// Returns the bound address, with the real port when port 0 was requested.
    func localAddress() throws(SystemCallError) -> ListenAddress {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = try withUnsafeMutablePointer(to: &storage) { pointer throws(SystemCallError) in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address throws(SystemCallError) in
                try SystemCall.run("getsockname") { getsockname(descriptor, address, &length) }
            }
        }
        let address = SocketAddress(storage: storage)
        return ListenAddress(host: address.host, port: address.port)
    }

    /// Accepts one pending connection, or returns nil when none is waiting.
    func accept() throws(SystemCallError) -> (socket: Socket, remote: SocketAddress)? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let descriptor: Int32
        do throws(SystemCallError) {
            descriptor = try withUnsafeMutablePointer(to: &storage) { pointer throws(SystemCallError) in
                try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address throws(SystemCallError) in
                    try SystemCall.run("accept") { Glibc.accept(self.descriptor, address, &length) }
                }
            }
        } catch where SystemCall.isWouldBlock(error) {
            return nil
        }
        let socket = Socket(descriptor: descriptor)
        do throws(SystemCallError) {
            try SystemCall.run("fcntl(O_NONBLOCK)") { fcntl(descriptor, F_SETFL, O_NONBLOCK) }
            try SystemCall.run("fcntl(FD_CLOEXEC)") { fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        } catch {
            socket.close()
            throw error
        }
        return (socket, SocketAddress(storage: storage))
    }
}
