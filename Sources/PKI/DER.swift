/// The few DER (X.690) pieces the gateway reads and writes itself, where going through an
/// OpenSSL object would decode or encode a public key for nothing.
enum DER {
    /// One tag-length-value element inside a byte buffer, by offsets.
    struct Element {
        /// The identifier octet; only single-octet tags (numbers below 31) are read.
        let tag: UInt8
        /// From the identifier octet to the end of the contents.
        let whole: Range<Int>
        let contents: Range<Int>
    }

    static let sequenceTag: UInt8 = 0x30
    static let setTag: UInt8 = 0x31
    static let objectIdentifierTag: UInt8 = 0x06
    static let integerTag: UInt8 = 0x02
    static let bitStringTag: UInt8 = 0x03

    /// Reads the elements of `range` one after another; every byte must belong to an element.
    ///
    /// - Throws: `DER.Error` naming the offset when an element is truncated, or its length is
    ///   indefinite, not in minimal form or more than three octets long.
    static func elements(in bytes: [UInt8], _ range: Range<Int>) throws(DER.Error) -> [Element] {
        var elements: [Element] = []
        var offset = range.lowerBound
        while offset < range.upperBound {
            let element = try element(in: bytes, at: offset, end: range.upperBound)
            elements.append(element)
            offset = element.whole.upperBound
        }
        return elements
    }

    /// Reads the single element that fills `bytes`.
    static func element(filling bytes: [UInt8]) throws(DER.Error) -> Element {
        let element = try element(in: bytes, at: 0, end: bytes.count)
        guard element.whole.upperBound == bytes.count else {
            throw DER.Error(offset: element.whole.upperBound, "\(bytes.count - element.whole.upperBound) bytes follow the element")
        }
        return element
    }

    private static func element(in bytes: [UInt8], at start: Int, end: Int) throws(DER.Error) -> Element {
        guard end - start >= 2 else {
            throw DER.Error(offset: start, "element is truncated")
        }
        let tag = bytes[start]
        guard tag & 0x1F != 0x1F else {
            throw DER.Error(offset: start, "multi-octet tags are not supported")
        }

        var offset = start + 1
        let first = bytes[offset]
        offset += 1
        var length = Int(first)
        if first & 0x80 != 0 {
            // Three length octets allow 16 MiB, far above any CSR or certificate here.
            let octets = Int(first & 0x7F)
            guard octets >= 1, octets <= 3 else {
                throw DER.Error(offset: start, octets == 0 ? "indefinite length is not DER" : "length of \(octets) octets is too long")
            }
            guard end - offset >= octets else {
                throw DER.Error(offset: start, "length is truncated")
            }
            length = 0
            for byte in bytes[offset..<(offset + octets)] {
                length = length << 8 | Int(byte)
            }
            // X.690 section 10.1: the shortest form, so one value has one encoding.
            guard bytes[offset] != 0, length >= 0x80 else {
                throw DER.Error(offset: start, "length \(length) is not in the shortest form")
            }
            offset += octets
        }
        guard end - offset >= length else {
            throw DER.Error(offset: start, "contents of \(length) bytes run past the end")
        }
        return Element(tag: tag, whole: start..<(offset + length), contents: offset..<(offset + length))
    }

    /// Returns whether `element` is an INTEGER in DER: at least one contents octet, and no leading
    /// octet that only repeats the sign of the next (X.690 section 8.3.2).
    static func isInteger(_ bytes: [UInt8], _ element: Element) -> Bool {
        let contents = bytes[element.contents]
        guard element.tag == integerTag, let first = contents.first else {
            return false
        }
        guard contents.count > 1 else {
            return true
        }
        let second = contents[contents.startIndex + 1]
        return !(first == 0x00 && second & 0x80 == 0) && !(first == 0xFF && second & 0x80 != 0)
    }

    /// Encodes the length octets for `length` contents bytes (X.690 section 8.1.3, definite form).
    static func lengthOctets(_ length: Int) -> [UInt8] {
        guard length >= 0x80 else {
            return [UInt8(length)]
        }
        var octets: [UInt8] = []
        var remaining = length
        while remaining > 0 {
            octets.insert(UInt8(remaining & 0xFF), at: 0)
            remaining >>= 8
        }
        return [0x80 | UInt8(octets.count)] + octets
    }

    /// Encodes one element with the given tag around `contents`.
    static func encode(tag: UInt8, _ contents: [UInt8]) -> [UInt8] {
        [tag] + lengthOctets(contents.count) + contents
    }

    struct Error: Swift.Error, CustomStringConvertible {
        let offset: Int
        let reason: String

        init(offset: Int, _ reason: String) {
            self.offset = offset
            self.reason = reason
        }

        var description: String {
            "\(reason) at byte \(offset)"
        }
    }
}
