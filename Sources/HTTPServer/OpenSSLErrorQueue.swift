import COpenSSL

/// The calling thread's OpenSSL error queue.
enum OpenSSLErrorQueue {
    static func clear() {
        ERR_clear_error()
    }

    /// Removes every queued error and returns them joined, oldest first, or `fallback` when empty.
    static func drain(fallback: String = "no OpenSSL error was queued") -> String {
        var messages: [String] = []
        while case let code = ERR_get_error(), code != 0 {
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return messages.isEmpty ? fallback : messages.joined(separator: "; ")
    }
}
