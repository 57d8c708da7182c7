import COpenSSL

/// The calling thread's OpenSSL error queue.
enum OpenSSLErrorQueue {
    /// Empties the queue so that a failure reported next belongs to the call that follows.
    static func clear() {
        ERR_clear_error()
    }

    /// Removes every queued error and returns them as one line, oldest first.
    static func drain() -> String {
        var entries: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 {
                break
            }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            entries.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return entries.joined(separator: "; ")
    }

    /// Builds an error from `message` followed by the drained queue, if it is not empty.
    static func error(_ code: TLSClientError.Code, _ message: String) -> TLSClientError {
        let queued = drain()
        return TLSClientError(code, queued.isEmpty ? message : "\(message): \(queued)")
    }
}
