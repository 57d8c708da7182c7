/// Ids of enrollment and device requests: random (version 4) UUIDs in lowercase, the form the
/// store keeps (RFC 9562 section 5.4).
public enum RecordID {
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Returns a new id. With this toolchain on Linux, Foundation's `UUID()` opens /dev/urandom on
    /// every call (seen with strace). The system generator reads getrandom(2) with no file open.
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in stride(from: 0, to: 16, by: 8) {
            withUnsafeBytes(of: generator.next() as UInt64) { random in
                bytes.replaceSubrange(index..<(index + 8), with: random)
            }
        }
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80

        var text: [UInt8] = []
        text.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 {
                text.append(UInt8(ascii: "-"))
            }
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
