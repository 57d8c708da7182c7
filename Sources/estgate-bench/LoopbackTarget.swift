#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A `HOST:PORT` whose every address is 127.0.0.1 or ::1, so a load test can never leave the machine.
struct LoopbackTarget: Sendable, Equatable {
    var host: String
    var port: Int

    /// Parses `HOST:PORT` or `[IPv6]:PORT` and resolves the host. Fails with the reason when the
    /// target is malformed or any of its addresses is not loopback.
    static func parse(_ text: String) -> Result<LoopbackTarget, LoopbackTargetError> {
        guard let colon = text.lastIndex(of: ":") else {
            return .failure(LoopbackTargetError("expected HOST:PORT"))
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
        }
        guard !host.isEmpty, let port = Int(text[text.index(after: colon)...]), (1...65_535).contains(port) else {
            return .failure(LoopbackTargetError("expected HOST:PORT with a port from 1 to 65535"))
        }

        let addresses = resolve(host)
        guard !addresses.isEmpty else {
            return .failure(LoopbackTargetError("\(host) does not resolve"))
        }
        let outside = addresses.filter { $0 != "127.0.0.1" && $0 != "::1" }
        guard outside.isEmpty else {
            return .failure(LoopbackTargetError(
                "\(host) resolves to \(outside.joined(separator: ", ")), but only 127.0.0.1 and ::1 are allowed"))
        }
        return .success(LoopbackTarget(host: host, port: port))
    }

    /// Numeric forms of every address `host` resolves to.
    private static func resolve(_ host: String) -> [String] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let list else {
            return []
        }
        defer { freeaddrinfo(list) }

        var addresses: [String] = []
        var entry: UnsafeMutablePointer<addrinfo>? = list
        while let current = entry {
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            let status = getnameinfo(
                current.pointee.ai_addr, current.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST)
            if status == 0 {
                addresses.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
            }
            entry = current.pointee.ai_next
        }
        return addresses
    }
}

struct LoopbackTargetError: Error, Equatable {
    var reason: String

    init(_ reason: String) {
        self.reason = reason
    }
}
