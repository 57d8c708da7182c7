import COpenSSL

/// Serializes an OpenSSL object with one of its `i2d_*` functions: called once for the length and
/// once to write.
func encodeDER(
    _ what: String, _ encode: (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?) -> Int32
) throws -> [UInt8] {
    OpenSSLErrorQueue.clear()
    let length = encode(nil)
    guard length > 0 else {
        throw PKIError(.internalError, "encoding the \(what) as DER failed")
    }

    var bytes = [UInt8](repeating: 0, count: Int(length))
    let written = bytes.withUnsafeMutableBufferPointer { buffer -> Int32 in
        var cursor = buffer.baseAddress
        return encode(&cursor)
    }
    guard written == length else {
        throw PKIError(.internalError, "encoding the \(what) as DER failed")
    }
    return bytes
}

/// Parses DER with one of OpenSSL's `d2i_*` functions and requires that it consumes every byte.
/// Returns nil when parsing fails or bytes are left over, releasing a parsed object with `free`.
/// The OpenSSL error queue stays filled for the caller's error.
func decodeDER<Object>(
    _ bytes: ArraySlice<UInt8>,
    _ decode: (UnsafeMutablePointer<UnsafePointer<UInt8>?>, Int) -> Object?,
    free: (Object) -> Void
) -> Object? {
    bytes.withUnsafeBufferPointer { buffer -> Object? in
        guard let base = buffer.baseAddress, !buffer.isEmpty else {
            return nil
        }
        var cursor: UnsafePointer<UInt8>? = base
        guard let object = decode(&cursor, buffer.count) else {
            return nil
        }
        guard cursor == base + buffer.count else {
            free(object)
            return nil
        }
        return object
    }
}

func decodeDER<Object>(
    _ bytes: [UInt8],
    _ decode: (UnsafeMutablePointer<UnsafePointer<UInt8>?>, Int) -> Object?,
    free: (Object) -> Void
) -> Object? {
    decodeDER(bytes[...], decode, free: free)
}

/// Copies the contents of an ASN1_STRING (octet, IA5 or bit string) as raw bytes.
func asn1StringBytes(_ string: UnsafePointer<ASN1_STRING>) -> [UInt8] {
    let length = Int(ASN1_STRING_length(string))
    guard length > 0, let data = ASN1_STRING_get0_data(string) else {
        return []
    }
    return Array(UnsafeBufferPointer(start: data, count: length))
}

/// Converts any ASN1_STRING type (PrintableString, UTF8String, BMPString, ...) to UTF-8 text.
func asn1StringText(_ string: UnsafePointer<ASN1_STRING>) -> String? {
    var output: UnsafeMutablePointer<UInt8>?
    let length = ASN1_STRING_to_UTF8(&output, string)
    guard length >= 0, let output else {
        OpenSSLErrorQueue.clear()
        return nil
    }
    defer { CRYPTO_free(output, #fileID, #line) }
    return String(decoding: UnsafeBufferPointer(start: output, count: Int(length)), as: UTF8.self)
}

/// Returns the short name OpenSSL has for an OID ("CN", "serverAuth"), else its dotted form.
func objectName(_ object: OpaquePointer) -> String {
    let nid = OBJ_obj2nid(object)
    if nid != NID_undef, let shortName = OBJ_nid2sn(nid) {
        return String(cString: shortName)
    }
    return dottedOID(object)
}

/// Formats an OID in dotted decimal ("2.5.29.17").
func dottedOID(_ object: OpaquePointer) -> String {
    var buffer = [CChar](repeating: 0, count: 128)
    let length = OBJ_obj2txt(&buffer, Int32(buffer.count), object, 1)
    guard length > 0 else {
        return ""
    }
    return string(fromNulTerminated: buffer)
}

/// Decodes a NUL-terminated C string buffer as UTF-8.
func string(fromNulTerminated buffer: [CChar]) -> String {
    let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return String(decoding: bytes, as: UTF8.self)
}
