import COpenSSL
import Foundation

/// One entry of a subjectAltName extension (RFC 5280 section 4.2.1.6).
public enum GeneralName: Hashable, Sendable, CustomStringConvertible {
    case dns(String)
    /// An IPv4 or IPv6 address in its textual form ("192.0.2.1", "2001:db8::1").
    case ipAddress(String)
    case uri(String)
    case email(String)
    /// Any other form (directoryName, otherName, registeredID), as OpenSSL-style text; it can be
    /// read but not written into a certificate.
    case other(String)

    /// The kind as profiles name it: "dns", "ip", "uri", "email" or "other".
    public var kind: String {
        switch self {
        case .dns: "dns"
        case .ipAddress: "ip"
        case .uri: "uri"
        case .email: "email"
        case .other: "other"
        }
    }

    /// OpenSSL's notation: "DNS:device1.example", "IP:192.0.2.1", "URI:...", "email:...".
    public var description: String {
        switch self {
        case .dns(let name): "DNS:\(name)"
        case .ipAddress(let address): "IP:\(address)"
        case .uri(let uri): "URI:\(uri)"
        case .email(let address): "email:\(address)"
        case .other(let text): text
        }
    }
}

/// An owned OpenSSL GENERAL_NAMES stack.
final class GeneralNames {
    let names: OpaquePointer

    /// Takes ownership of `names`.
    init(taking names: OpaquePointer) {
        self.names = names
    }

    /// Encodes `generalNames`.
    ///
    /// - Throws: `PKIError.invalidGeneralName` for `.other` names, non-ASCII DNS names, URIs or
    ///   email addresses, and IP addresses that do not parse.
    convenience init(_ generalNames: [GeneralName]) throws {
        OpenSSLErrorQueue.clear()
        guard let names = GENERAL_NAMES_new() else {
            throw PKIError(.internalError, "allocating GENERAL_NAMES failed")
        }
        self.init(taking: names)

        for generalName in generalNames {
            guard let entry = GENERAL_NAME_new() else {
                throw PKIError(.internalError, "allocating a GENERAL_NAME failed")
            }
            guard COpenSSL_sk_GENERAL_NAME_push(names, entry) > 0 else {
                GENERAL_NAME_free(entry)
                throw PKIError(.internalError, "adding a GENERAL_NAME failed")
            }
            try Self.set(entry, to: generalName)
        }
    }

    deinit {
        GENERAL_NAMES_free(names)
    }

    var generalNames: [GeneralName] {
        (0..<COpenSSL_sk_GENERAL_NAME_num(names)).compactMap { index in
            COpenSSL_sk_GENERAL_NAME_value(names, index).map(Self.generalName)
        }
    }

    /// Encodes these names as a non-critical subjectAltName extension.
    func makeExtension() throws -> OpaquePointer {
        OpenSSLErrorQueue.clear()
        guard let extensionValue = X509V3_EXT_i2d(NID_subject_alt_name, 0, UnsafeMutableRawPointer(names)) else {
            throw PKIError(.internalError, "encoding the subjectAltName extension failed")
        }
        return extensionValue
    }

    private static func set(_ entry: UnsafeMutablePointer<GENERAL_NAME>, to generalName: GeneralName) throws {
        let type: Int32
        let text: String
        switch generalName {
        case .dns(let name): (type, text) = (GEN_DNS, name)
        case .uri(let uri): (type, text) = (GEN_URI, uri)
        case .email(let address): (type, text) = (GEN_EMAIL, address)
        case .ipAddress(let address):
            guard let octets = a2i_IPADDRESS(address) else {
                OpenSSLErrorQueue.clear()
                throw PKIError(.invalidGeneralName, "subjectAltName IP address \"\(address)\" is invalid")
            }
            GENERAL_NAME_set0_value(entry, GEN_IPADD, UnsafeMutableRawPointer(octets))
            return
        case .other(let text):
            throw PKIError(.invalidGeneralName, "subjectAltName \"\(text)\" cannot be encoded; only DNS, IP, URI and email names can")
        }

        guard !text.isEmpty, text.utf8.allSatisfy({ $0 < 0x80 }) else {
            throw PKIError(.invalidGeneralName, "subjectAltName \(generalName) must be non-empty ASCII")
        }
        guard let string = ASN1_IA5STRING_new() else {
            throw PKIError(.internalError, "allocating an IA5String failed")
        }
        guard ASN1_STRING_set(string, text, Int32(text.utf8.count)) == 1 else {
            ASN1_IA5STRING_free(string)
            throw PKIError(.internalError, "setting an IA5String failed")
        }
        GENERAL_NAME_set0_value(entry, type, UnsafeMutableRawPointer(string))
    }

    private static func generalName(_ entry: UnsafeMutablePointer<GENERAL_NAME>) -> GeneralName {
        var type: Int32 = 0
        let value = GENERAL_NAME_get0_value(entry, &type)
        switch type {
        case GEN_DNS, GEN_URI, GEN_EMAIL:
            guard let value else {
                return .other("empty")
            }
            let text = String(decoding: asn1StringBytes(value.assumingMemoryBound(to: ASN1_STRING.self)), as: UTF8.self)
            switch type {
            case GEN_DNS: return .dns(text)
            case GEN_URI: return .uri(text)
            default: return .email(text)
            }
        case GEN_IPADD:
            guard let value else {
                return .other("IP:empty")
            }
            let octets = asn1StringBytes(value.assumingMemoryBound(to: ASN1_STRING.self))
            return ipAddressText(octets).map { .ipAddress($0) } ?? .other("IP:\(octets.hexString)")
        case GEN_DIRNAME:
            guard let value else {
                return .other("DirName:")
            }
            return .other("DirName:\(DistinguishedName(borrowing: OpaquePointer(value)))")
        case GEN_OTHERNAME:
            return .other("othername:<unsupported>")
        case GEN_RID:
            return .other("Registered ID:\(value.map { dottedOID(OpaquePointer($0)) } ?? "")")
        default:
            return .other("unsupported general name type \(type)")
        }
    }

    private static func ipAddressText(_ octets: [UInt8]) -> String? {
        let family: Int32
        switch octets.count {
        case 4: family = AF_INET
        case 16: family = AF_INET6
        default: return nil
        }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let converted = octets.withUnsafeBytes { inet_ntop(family, $0.baseAddress, &buffer, socklen_t(buffer.count)) }
        guard converted != nil else {
            return nil
        }
        return string(fromNulTerminated: buffer)
    }
}
