// Syntax of the request line, header fields and chunk sizes (RFC 9110 and RFC 9112).
extension HTTPRequestParser {
    /// Methods this server recognizes. A request with any other method token gets 501.
    static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "TRACE", "CONNECT", "PATCH"]

    /// Methods whose requests carry a body, so a request without a length gets 411.
    static let bodyMethods: Set<String> = ["POST", "PUT", "PATCH"]

    static func parseRequestLine(
        _ line: ArraySlice<UInt8>
    ) throws(HTTPParseError) -> (method: String, target: String, version: HTTPVersion) {
        let parts = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw .invalidRequestLine
        }
        guard parts[0].allSatisfy(isTokenCharacter) else {
            throw .invalidRequestLine
        }
        guard parts[1].allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw .invalidTarget
        }

        let version = try parseVersion(parts[2])
        let method = String(decoding: parts[0], as: UTF8.self)
        guard knownMethods.contains(method) else {
            throw .unsupportedMethod
        }
        return (method, String(decoding: parts[1], as: UTF8.self), version)
    }

    static func parseVersion(_ bytes: ArraySlice<UInt8>) throws(HTTPParseError) -> HTTPVersion {
        let text = Array(bytes)
        let digits = UInt8(ascii: "0")...UInt8(ascii: "9")
        guard text.count == 8, text.starts(with: Array("HTTP/".utf8)), digits.contains(text[5]),
            text[6] == UInt8(ascii: "."), digits.contains(text[7])
        else {
            throw .invalidRequestLine
        }

        switch (text[5], text[7]) {
        case (UInt8(ascii: "1"), UInt8(ascii: "1")): return .http1_1
        case (UInt8(ascii: "1"), UInt8(ascii: "0")): return .http1_0
        default: throw .unsupportedVersion
        }
    }

    static func parseHeaderField(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> (name: String, value: String) {
        guard let first = line.first, first != UInt8(ascii: " "), first != UInt8(ascii: "\t") else {
            throw .obsoleteLineFolding
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
            throw .invalidHeaderField
        }

        let name = line[line.startIndex..<colon]
        guard !name.isEmpty, name.allSatisfy(isTokenCharacter) else {
            throw .invalidHeaderField
        }

        let value = line[(colon + 1)...]
        let allowed = { (byte: UInt8) in byte == 0x09 || byte >= 0x20 && byte != 0x7F }
        guard value.allSatisfy(allowed) else {
            throw .invalidHeaderField
        }
        return (String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self).trimmingSpaces.description)
    }

    /// Parses `chunk-size [; extensions]`; extensions are ignored.
    static func parseChunkSize(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> Int {
        let end = line.firstIndex { $0 == UInt8(ascii: ";") || $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") } ?? line.endIndex
        let digits = line[line.startIndex..<end]
        guard !digits.isEmpty, digits.count <= 15 else {
            throw .invalidChunk
        }

        var size = 0
        for byte in digits {
            guard let digit = hexValue(byte) else {
                throw .invalidChunk
            }
            size = size << 4 | Int(digit)
        }
        return size
    }

    /// Builds the head from the collected fields and decides how the body is framed (RFC 9112 section 6.3).
    func makeHead() throws(HTTPParseError) -> HTTPRequestHead {
        // The phase guarantees a request line; the fallback keeps the parser total.
        guard let requestLine else {
            throw .invalidRequestLine
        }

        let hosts = headers.values(for: "Host")
        guard hosts.count <= 1, requestLine.version == .http1_0 || hosts.count == 1 else {
            throw .invalidHost
        }

        let target = try RequestTarget(parsing: requestLine.target, method: requestLine.method)
        let framing = try Self.bodyFraming(headers: headers, method: requestLine.method, version: requestLine.version)
        let expectsContinue = requestLine.version == .http1_1 && headers.containsToken("100-continue", in: "Expect")
        let keepAlive: Bool
        switch requestLine.version {
        case .http1_1: keepAlive = !headers.containsToken("close", in: "Connection")
        case .http1_0: keepAlive = headers.containsToken("keep-alive", in: "Connection")
        }

        return HTTPRequestHead(
            method: requestLine.method, target: requestLine.target, path: target.path, query: target.query,
            version: requestLine.version, headers: headers, framing: framing, expectsContinue: expectsContinue,
            keepAlive: keepAlive)
    }

    static func bodyFraming(headers: HTTPHeaders, method: String, version: HTTPVersion) throws(HTTPParseError) -> HTTPBodyFraming {
        let transferEncodings = headers.values(for: "Transfer-Encoding")
        let contentLengths = headers.values(for: "Content-Length")

        if !transferEncodings.isEmpty {
            // Both headers at once is the classic request-smuggling shape: reject rather than pick one.
            guard contentLengths.isEmpty else {
                throw .conflictingFraming
            }
            guard version == .http1_1 else {
                throw .unsupportedTransferEncoding
            }
            let codings = transferEncodings.flatMap { $0.split(separator: ",") }.map(\.trimmingSpaces)
            guard codings.count == 1, HTTPHeaders.matches(codings[0], "chunked") else {
                throw .unsupportedTransferEncoding
            }
            return .chunked
        }

        if !contentLengths.isEmpty {
            let values = Set(contentLengths.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }.map(\.trimmingSpaces))
            guard values.count == 1, let text = values.first, !text.isEmpty, text.count <= 18,
                text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
                let length = Int(text)
            else {
                throw .invalidContentLength
            }
            return .contentLength(length)
        }

        guard !bodyMethods.contains(method) else {
            throw .lengthRequired
        }
        return .none
    }

    static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
