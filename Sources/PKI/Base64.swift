/// Base64 (RFC 4648) with the lenient decoding that RFC 8951 section 3.4 asks of EST peers.
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, character) in alphabet.enumerated() {
            table[Int(character)] = UInt8(index)
        }
        return table
    }()

    /// Encodes `bytes` with padding, breaking lines every `lineLength` characters with "\n"
    /// (no trailing newline); nil gives one line.
    public static func encode(_ bytes: [UInt8], lineLength: Int? = 64) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let first = bytes[index]
            let second = index + 1 < bytes.count ? bytes[index + 1] : 0
            let third = index + 2 < bytes.count ? bytes[index + 2] : 0
            output.append(alphabet[Int(first >> 2)])
            output.append(alphabet[Int((first & 0x03) << 4 | second >> 4)])
            output.append(index + 1 < bytes.count ? alphabet[Int((second & 0x0F) << 2 | third >> 6)] : UInt8(ascii: "="))
            output.append(index + 2 < bytes.count ? alphabet[Int(third & 0x3F)] : UInt8(ascii: "="))
            index += 3
        }

        guard let lineLength, lineLength > 0, output.count > lineLength else {
            return String(decoding: output, as: UTF8.self)
        }
        var lines: [String] = []
        var start = 0
        while start < output.count {
            let end = min(start + lineLength, output.count)
            lines.append(String(decoding: output[start..<end], as: UTF8.self))
            start = end
        }
        return lines.joined(separator: "\n")
    }

    /// Decodes base64 that may contain whitespace and line breaks anywhere, lines of any length
    /// and optional padding.
    ///
    /// - Throws: `PKIError.invalidBase64` naming the zero-based byte offset of the first
    ///   character that is not base64, or of the end when the input stops inside a group.
    public static func decode(_ text: String) throws -> [UInt8] {
        try decode(Array(text.utf8))
    }

    /// Decodes base64 given as bytes; see `decode(_:)` for the rules.
    public static func decode(_ input: [UInt8]) throws -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(input.count / 4 * 3)
        var group: UInt32 = 0
        var count = 0
        var paddingSeen = false

        for (offset, character) in input.enumerated() {
            if isWhitespace(character) {
                continue
            }
            if character == UInt8(ascii: "=") {
                // Padding may only complete a group that already has two or three characters.
                guard count >= 2 || (paddingSeen && count == 0) else {
                    throw invalid(at: offset)
                }
                if count > 0 {
                    flush(group: group, count: count, into: &output)
                    group = 0
                    count = 0
                }
                paddingSeen = true
                continue
            }
            let value = values[Int(character)]
            guard value != 0xFF, !paddingSeen else {
                throw invalid(at: offset)
            }
            group = group << 6 | UInt32(value)
            count += 1
            if count == 4 {
                flush(group: group, count: count, into: &output)
                group = 0
                count = 0
            }
        }

        guard count != 1 else {
            throw invalid(at: input.count)
        }
        if count > 1 {
            flush(group: group, count: count, into: &output)
        }
        return output
    }

    private static func flush(group: UInt32, count: Int, into output: inout [UInt8]) {
        let bits = group << (6 * UInt32(4 - count))
        output.append(UInt8(truncatingIfNeeded: bits >> 16))
        if count >= 3 {
            output.append(UInt8(truncatingIfNeeded: bits >> 8))
        }
        if count == 4 {
            output.append(UInt8(truncatingIfNeeded: bits))
        }
    }

    private static func isWhitespace(_ character: UInt8) -> Bool {
        character == 0x20 || (0x09...0x0D).contains(character)
    }

    private static func invalid(at offset: Int) -> PKIError {
        PKIError(.invalidBase64, "base64 decoding failed at byte \(offset)")
    }
}
