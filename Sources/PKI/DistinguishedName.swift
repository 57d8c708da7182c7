import COpenSSL

/// An X.509 distinguished name as a list of attributes in encoding order (most significant
/// first, as in `/C=DE/O=Example/CN=dev1`), one attribute per RDN.
///
/// Attribute types are OpenSSL short names ("CN", "O", "OU", "C", "serialNumber",
/// "emailAddress") or dotted OIDs for types OpenSSL does not name.
public struct DistinguishedName: Hashable, Sendable, CustomStringConvertible {
    public private(set) var attributes: [(type: String, value: String)]

    /// Creates a name from attributes in encoding order.
    public init(_ attributes: [(type: String, value: String)]) {
        self.attributes = attributes
    }

    /// Parses an RFC 4514 string such as "CN=dev1,O=Example", whose first attribute is the least
    /// significant, so `attributes` lists them in reverse. Long type names ("commonName") become
    /// short names; multi-valued RDNs ("CN=a+UID=b") become separate attributes.
    ///
    /// - Throws: `PKIError.invalidName` naming the part that is not `type=value` or the unknown type.
    public init(parsing text: String) throws {
        var parsed: [(type: String, value: String)] = []
        for component in try Self.splitComponents(text) {
            guard let equals = component.firstIndex(of: "=") else {
                throw PKIError(.invalidName, "distinguished name component \"\(component)\" is not type=value")
            }
            let type = String(component[..<equals]).trimmingCharacters(in: " ")
            let value = try Self.unescape(String(component[component.index(after: equals)...]), in: text)
            parsed.append((try Self.shortName(type), value))
        }
        guard !parsed.isEmpty else {
            throw PKIError(.invalidName, "distinguished name \"\(text)\" is empty")
        }
        self.attributes = parsed.reversed()
    }

    /// The RFC 4514 string, least significant attribute first ("CN=dev1,O=Example").
    public var description: String {
        attributes.reversed().map { "\($0.type)=\(Self.escape($0.value))" }.joined(separator: ",")
    }

    /// The last (most specific) common name.
    public var commonName: String? {
        attributes.last { $0.type == "CN" }?.value
    }

    /// The subject's serialNumber attribute (2.5.4.5), a device serial in IDevID certificates.
    public var serialNumber: String? {
        attributes.last { $0.type == "serialNumber" }?.value
    }

    /// Keeps the attributes whose types are in `types`, in their original order.
    public func filtered(keeping types: [String]) -> DistinguishedName {
        DistinguishedName(attributes.filter { types.contains($0.type) })
    }

    public static func == (lhs: DistinguishedName, rhs: DistinguishedName) -> Bool {
        lhs.attributes.count == rhs.attributes.count
            && zip(lhs.attributes, rhs.attributes).allSatisfy { $0.type == $1.type && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        for attribute in attributes {
            hasher.combine(attribute.type)
            hasher.combine(attribute.value)
        }
    }

    /// Normalizes a type to OpenSSL's short name, keeping dotted OIDs that OpenSSL cannot name.
    static func shortName(_ type: String) throws -> String {
        OpenSSLErrorQueue.clear()
        guard let object = OBJ_txt2obj(type, 0) else {
            OpenSSLErrorQueue.clear()
            throw PKIError(.invalidName, "distinguished name attribute type \"\(type)\" is unknown")
        }
        defer { ASN1_OBJECT_free(object) }
        return objectName(object)
    }

    /// Splits on commas and plus signs that are not escaped with a backslash.
    private static func splitComponents(_ text: String) throws -> [Substring] {
        var components: [Substring] = []
        var start = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "\\" {
                index = text.index(after: index)
                guard index < text.endIndex else {
                    throw PKIError(.invalidName, "distinguished name \"\(text)\" ends with a lone backslash")
                }
            } else if character == "," || character == "+" {
                components.append(text[start..<index])
                start = text.index(after: index)
            }
            index = text.index(after: index)
        }
        components.append(text[start..<text.endIndex])
        return components.filter { !$0.allSatisfy(\.isWhitespace) }
    }

    /// Resolves RFC 4514 escapes: a backslash before a special character or two hex digits.
    private static func unescape(_ value: String, in text: String) throws -> String {
        var bytes: [UInt8] = []
        let input = Array(value.trimmingCharacters(in: " ").utf8)
        var index = 0
        while index < input.count {
            let byte = input[index]
            guard byte == UInt8(ascii: "\\") else {
                bytes.append(byte)
                index += 1
                continue
            }
            if let high = hexValue(input[safe: index + 1]), let low = hexValue(input[safe: index + 2]) {
                bytes.append(high << 4 | low)
                index += 3
            } else if index + 1 < input.count {
                bytes.append(input[index + 1])
                index += 2
            } else {
                throw PKIError(.invalidName, "distinguished name \"\(text)\" ends with a lone backslash")
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8?) -> UInt8? {
        switch byte {
        case .some(let digit) where (0x30...0x39).contains(digit): digit - 0x30
        case .some(let digit) where (0x41...0x46).contains(digit): digit - 0x41 + 10
        case .some(let digit) where (0x61...0x66).contains(digit): digit - 0x61 + 10
        default: nil
        }
    }

    /// Escapes a value for RFC 4514 section 2.4.
    private static func escape(_ value: String) -> String {
        let characters = Array(value)
        var output = ""
        for (offset, character) in characters.enumerated() {
            if character == "\0" {
                output.append("\\00")
                continue
            }
            let isSpecial = ",+\"\\<>;".contains(character)
            let isLeading = offset == 0 && (character == "#" || character == " ")
            let isTrailing = offset == characters.count - 1 && character == " "
            if isSpecial || isLeading || isTrailing {
                output.append("\\")
            }
            output.append(character)
        }
        return output
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: Character) -> String {
        var slice = Substring(self)
        while slice.first == set {
            slice = slice.dropFirst()
        }
        while slice.last == set, !slice.hasSuffix("\\ ") {
            slice = slice.dropLast()
        }
        return String(slice)
    }
}

extension Array {
    fileprivate subscript(safe index: Int) -> Element? {
        indices.contains(index) ? self[index] : nil
    }
}
