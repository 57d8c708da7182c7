import Foundation

/// A minimal HTTP/1.1 client over one TLS connection: one request at a time, responses framed
/// by Content-Length, chunked encoding or the end of the connection.
public final class HTTPClientConnection {
    /// Limit on the status line and header fields of one response.
    public static let maximumHeaderBytes = 64 * 1024
    /// Limit on one response body; EST bodies are a few kilobytes, a CA chain rarely 100 KiB.
    public static let maximumBodyBytes = 16 * 1024 * 1024

    public let connection: TLSClientConnection
    /// Value of the Host header: the server name and port.
    public let authority: String
    public let keepAlive: Bool
    /// False once the server closed or announced closing, or a request was sent without keep-alive.
    public private(set) var isReusable = true

    private var buffer: [UInt8] = []
    private var start = 0

    public init(connection: TLSClientConnection, authority: String, keepAlive: Bool) {
        self.connection = connection
        self.authority = authority
        self.keepAlive = keepAlive
    }

    /// Sends `request` and reads its whole response, skipping interim 1xx responses.
    public func send(_ request: HTTPRequest) throws -> HTTPResponse {
        try connection.write(request.serialized(host: authority, keepAlive: keepAlive))

        var response = try readHead(for: request)
        while (100..<200).contains(response.status) {
            response = try readHead(for: request)
        }

        response.body = try readBody(of: response, method: request.method, path: request.path)
        if !keepAlive || !response.allowsReuse {
            isReusable = false
        }
        return response
    }

    public func close() throws {
        isReusable = false
        try connection.close()
    }

    // MARK: Response head

    private func readHead(for request: HTTPRequest) throws -> HTTPResponse {
        let head = try readUntilBlankLine(path: request.path)
        var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusLine = lines.removeFirst()

        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), parts[1].count == 3, let status = Int(parts[1]) else {
            throw ESTClientError(.malformedResponse, "invalid status line \"\(statusLine)\" in the response to \(request.path)")
        }

        var headers: [HTTPHeaderField] = []
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else {
                throw ESTClientError(.malformedResponse, "invalid header line \"\(line)\" in the response to \(request.path)")
            }
            headers.append(HTTPHeaderField(
                name: String(line[..<colon]),
                value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        return HTTPResponse(status: status, reason: parts.count > 2 ? String(parts[2]) : "", headers: headers, body: [])
    }

    private func readUntilBlankLine(path: String) throws -> String {
        // Bytes already searched, counted from `start` because fill() moves the buffer.
        var searched = 0
        while true {
            if let end = Self.find([13, 10, 13, 10], in: buffer, from: start + searched) {
                let head = String(decoding: buffer[start..<end], as: UTF8.self)
                start = end + 4
                return head
            }
            searched = max(0, buffer.count - start - 3)
            guard buffer.count - start <= Self.maximumHeaderBytes else {
                throw ESTClientError(
                    .responseTooLarge, "the response header to \(path) exceeds \(Self.maximumHeaderBytes) bytes")
            }
            guard try fill() else {
                throw ESTClientError(.malformedResponse, "the server closed the connection before sending a response to \(path)")
            }
        }
    }

    // MARK: Response body

    private func readBody(of response: HTTPResponse, method: String, path: String) throws -> [UInt8] {
        if method == "HEAD" || response.status == 204 || response.status == 304 {
            return []
        }
        if let encoding = response.header("Transfer-Encoding"), encoding.lowercased().contains("chunked") {
            return try readChunkedBody(path: path)
        }
        if let lengthText = response.header("Content-Length") {
            guard let length = Int(lengthText.trimmingCharacters(in: .whitespaces)), length >= 0 else {
                throw ESTClientError(.malformedResponse, "invalid Content-Length \"\(lengthText)\" in the response to \(path)")
            }
            try checkBodySize(length, path: path)
            return try readExactly(length, path: path)
        }

        // Without framing the body runs to the end of the connection.
        isReusable = false
        while try fill() {
            try checkBodySize(buffer.count - start, path: path)
        }
        return take(buffer.count - start)
    }

    private func readChunkedBody(path: String) throws -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let sizeLine = try readLine(path: path)
            let sizeText = sizeLine.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size >= 0 else {
                throw ESTClientError(.malformedResponse, "invalid chunk size \"\(sizeLine)\" in the response to \(path)")
            }
            if size == 0 {
                break
            }
            try checkBodySize(body.count + size, path: path)
            body += try readExactly(size, path: path)
            guard try readLine(path: path).isEmpty else {
                throw ESTClientError(.malformedResponse, "a chunk in the response to \(path) is longer than its size")
            }
        }

        // Trailer fields end with an empty line.
        while try !readLine(path: path).isEmpty {}
        return body
    }

    private func checkBodySize(_ count: Int, path: String) throws {
        guard count <= Self.maximumBodyBytes else {
            throw ESTClientError(.responseTooLarge, "the response body from \(path) exceeds \(Self.maximumBodyBytes) bytes")
        }
    }

    // MARK: Buffer

    private func readLine(path: String) throws -> String {
        while true {
            if let end = Self.find([13, 10], in: buffer, from: start) {
                let line = String(decoding: buffer[start..<end], as: UTF8.self)
                start = end + 2
                return line
            }
            guard buffer.count - start <= Self.maximumHeaderBytes else {
                throw ESTClientError(.responseTooLarge, "a line in the response to \(path) exceeds \(Self.maximumHeaderBytes) bytes")
            }
            guard try fill() else {
                throw ESTClientError(.malformedResponse, "the server closed the connection in the middle of the response to \(path)")
            }
        }
    }

    private func readExactly(_ count: Int, path: String) throws -> [UInt8] {
        while buffer.count - start < count {
            guard try fill() else {
                throw ESTClientError(
                    .malformedResponse,
                    "the server closed the connection after \(buffer.count - start) of \(count) body bytes from \(path)")
            }
        }
        return take(count)
    }

    private func take(_ count: Int) -> [UInt8] {
        let bytes = Array(buffer[start..<start + count])
        start += count
        return bytes
    }

    /// Reads more bytes into the buffer; false at the end of the connection.
    private func fill() throws -> Bool {
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
        let bytes = try connection.read()
        if bytes.isEmpty {
            isReusable = false
            return false
        }
        buffer += bytes
        return true
    }

    private static func find(_ pattern: [UInt8], in bytes: [UInt8], from offset: Int) -> Int? {
        guard bytes.count >= pattern.count, offset <= bytes.count - pattern.count else {
            return nil
        }
        for index in offset...(bytes.count - pattern.count) where bytes[index] == pattern[0] {
            if Array(bytes[index..<index + pattern.count]) == pattern {
                return index
            }
        }
        return nil
    }
}
