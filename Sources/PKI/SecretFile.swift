import Foundation

/// Writing files that hold private keys.
enum SecretFile {
    /// Writes `bytes` to `path` through a descriptor opened with mode 0600, so the file is
    /// never readable by others, not even between creation and a later chmod.
    static func write(_ bytes: [UInt8], toPath path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw PKIError(.fileAccess, "opening \(path) for writing failed: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }

        // An existing file keeps its mode under O_TRUNC, so narrow it before writing the secret.
        guard fchmod(descriptor, 0o600) == 0 else {
            throw PKIError(.fileAccess, "setting mode 0600 on \(path) failed: \(String(cString: strerror(errno)))")
        }

        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR {
                    continue
                }
                throw PKIError(.fileAccess, "writing \(path) failed: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }
}
