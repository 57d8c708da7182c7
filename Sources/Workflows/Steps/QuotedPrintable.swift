/// The quoted-printable content transfer encoding of RFC 2045 section 6.7, for a mail body with
/// a line longer than the 998 bytes that RFC 5322 section 2.1.1 allows.
enum QuotedPrintable {
    /// The maximum length of an encoded line, without its CRLF (rule 5).
    static let maximumLineLength = 76

    /// Encodes each line of `lines` (without line ends) and joins them with CRLF, the hard line
    /// breaks. A longer line is split by soft line breaks (`=` before CRLF), never inside an
    /// `=XX` escape.
    static func encode(lines: [Substring]) -> String {
        lines.map { encode(line: Array($0.utf8)) }.joined(separator: "\r\n")
    }

    private static func encode(line bytes: [UInt8]) -> String {
        var encoded = ""
        var current = ""
        for (index, byte) in bytes.enumerated() {
            let token = literal(byte, atLineEnd: index == bytes.count - 1) ?? escaped(byte)
            // One column stays free for the `=` of a soft line break.
            if current.utf8.count + token.utf8.count > maximumLineLength - 1 {
                encoded += current + "=\r\n"
                current = ""
            }
            current += token
        }
        return encoded + current
    }

    /// Returns the byte unescaped if rules 2 and 3 allow that. They allow printable ASCII other
    /// than `=`, and a space or tab that does not end the line, because a receiver may strip it there.
    private static func literal(_ byte: UInt8, atLineEnd: Bool) -> String? {
        switch byte {
        case 0x21...0x3C, 0x3E...0x7E:
            return String(UnicodeScalar(byte))
        case 0x20, 0x09:
            return atLineEnd ? nil : String(UnicodeScalar(byte))
        default:
            return nil
        }
    }

    private static func escaped(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "=" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
    }
}
