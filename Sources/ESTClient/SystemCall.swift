#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The one place socket syscalls go through: retries `EINTR` and turns `errno` into an error.
enum SystemCall {
    static func retrying(
        _ name: String, code: TLSClientError.Code = .ioFailed, _ call: () -> Int32
    ) throws(TLSClientError) -> Int32 {
        while true {
            let result = call()
            if result >= 0 {
                return result
            }
            let error = errno
            if error == EINTR {
                continue
            }
            throw TLSClientError(code, "\(name) failed: \(describe(error))")
        }
    }

    static func describe(_ error: Int32) -> String {
        String(cString: strerror(error))
    }
}
