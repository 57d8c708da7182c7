import Glibc

/// A failed system call, with the call's name and errno.
struct SystemCallError: Error, CustomStringConvertible {
    let call: String
    let errno: Int32

    var description: String {
        "\(call) failed: \(String(cString: strerror(errno))) (errno \(errno))"
    }
}

enum SystemCall {
    /// Runs `body` until it does not fail with EINTR; a negative result throws with errno.
    @discardableResult
    static func run<Result: BinaryInteger>(_ call: String, _ body: () -> Result) throws(SystemCallError) -> Result {
        while true {
            let result = body()
            if result >= 0 {
                return result
            }
            let code = Glibc.errno
            if code != EINTR {
                throw SystemCallError(call: call, errno: code)
            }
        }
    }

    static func isWouldBlock(_ error: SystemCallError) -> Bool {
        error.errno == EAGAIN || error.errno == EWOULDBLOCK
    }
}
