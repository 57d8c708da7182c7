/// An HTTP/1.1 request parser fed bytes from any source; it never touches a socket.
///
/// Feed bytes with `append`, then call `next()` until it returns nil (more bytes needed). Each
/// request yields `.head` once the header section is complete and `.request` once its body is.
/// Between the two the caller may call `startBody(maximumBytes:)` to apply a per-route body
/// limit, so a declared oversize body is rejected before any of it is read. Bytes after a
/// request stay buffered for the next one. After an error every call throws the same error.
public struct HTTPRequestParser: Sendable {
    public enum Event: Sendable {
        case head(HTTPRequestHead)
        case request(HTTPRequest)
    }

    enum Phase: Sendable, Equatable {
        case requestLine
        case headerFields
        case headComplete
        case fixedBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailerFields
        case bodyComplete
        case failed(HTTPParseError)
    }

    public let limits: HTTPLimits

    var phase: Phase = .requestLine
    var buffer: [UInt8] = []
    var offset = 0

    var requestLine: (method: String, target: String, version: HTTPVersion)?
    var headers = HTTPHeaders()
    var headerBytes = 0
    var head: HTTPRequestHead?
    var body: [UInt8] = []
    var bodyLimit = 0

    public init(limits: HTTPLimits = HTTPLimits()) {
        self.limits = limits
    }

    public mutating func append(_ bytes: some Sequence<UInt8>) {
        if offset > 0 {
            buffer.removeFirst(offset)
            offset = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// Bytes received but not yet consumed by a request.
    public var bufferedByteCount: Int { buffer.count - offset }

    /// True while a request has started arriving but its head is not complete.
    public var isReadingHead: Bool {
        switch phase {
        case .requestLine: bufferedByteCount > 0
        case .headerFields: true
        default: false
        }
    }

    /// Applies the body limit for the head just returned; nil means `limits.maximumBodyBytes`.
    public mutating func startBody(maximumBytes: Int?) throws(HTTPParseError) {
        try recordingFailure { parser throws(HTTPParseError) in try parser.applyBodyLimit(maximumBytes) }
    }

    /// Returns the next event, or nil when more bytes are needed.
    public mutating func next() throws(HTTPParseError) -> Event? {
        try recordingFailure { parser throws(HTTPParseError) in try parser.advance() }
    }

    private mutating func applyBodyLimit(_ maximumBytes: Int?) throws(HTTPParseError) {
        guard phase == .headComplete, let head else {
            return
        }

        bodyLimit = maximumBytes ?? limits.maximumBodyBytes
        switch head.framing {
        case .none:
            phase = .bodyComplete
        case .contentLength(let length):
            guard length <= bodyLimit else {
                throw .bodyTooLarge(limit: bodyLimit)
            }
            body.reserveCapacity(length)
            phase = length == 0 ? .bodyComplete : .fixedBody(remaining: length)
        case .chunked:
            phase = .chunkSize
        }
    }

    private mutating func advance() throws(HTTPParseError) -> Event? {
        while true {
            switch phase {
            case .failed(let error):
                throw error

            case .requestLine:
                let tooLong = HTTPParseError.requestLineTooLong(limit: limits.maximumRequestLineLength)
                let lineLimit = limits.maximumRequestLineLength
                guard let line = try readLine(limit: lineLimit, tooLong: tooLong, malformed: .invalidRequestLine) else {
                    return nil
                }
                // RFC 9112 section 2.2: ignore empty lines before the request line.
                if line.isEmpty {
                    continue
                }
                requestLine = try Self.parseRequestLine(line)
                phase = .headerFields

            case .headerFields:
                guard let line = try readHeaderLine() else {
                    return nil
                }
                if line.isEmpty {
                    let completed = try makeHead()
                    head = completed
                    phase = .headComplete
                    return .head(completed)
                }
                let field = try Self.parseHeaderField(line)
                headers.add(field.name, field.value)

            case .headComplete:
                try applyBodyLimit(nil)

            case .fixedBody(let remaining):
                guard let left = consumeBody(upTo: remaining) else {
                    return nil
                }
                phase = left == 0 ? .bodyComplete : .fixedBody(remaining: left)

            case .chunkSize:
                guard let line = try readLine(limit: limits.maximumRequestLineLength, tooLong: .invalidChunk, malformed: .invalidChunk) else {
                    return nil
                }
                let size = try Self.parseChunkSize(line)
                guard size <= bodyLimit - body.count else {
                    throw .bodyTooLarge(limit: bodyLimit)
                }
                phase = size == 0 ? .trailerFields : .chunkData(remaining: size)

            case .chunkData(let remaining):
                guard let left = consumeBody(upTo: remaining) else {
                    return nil
                }
                phase = left == 0 ? .chunkDataEnd : .chunkData(remaining: left)

            case .chunkDataEnd:
                guard let line = try readLine(limit: 2, tooLong: .invalidChunk, malformed: .invalidChunk) else {
                    return nil
                }
                guard line.isEmpty else {
                    throw .invalidChunk
                }
                phase = .chunkSize

            case .trailerFields:
                guard let line = try readHeaderLine() else {
                    return nil
                }
                if line.isEmpty {
                    phase = .bodyComplete
                    continue
                }
                // Trailer fields are checked for syntax and dropped: nothing here relies on them.
                _ = try Self.parseHeaderField(line)

            case .bodyComplete:
                return .request(finishRequest())
            }
        }
    }

    private mutating func finishRequest() -> HTTPRequest {
        // A head always exists in this phase; the fallback keeps the parser total.
        let completed = head ?? HTTPRequestHead(
            method: "", target: "", path: "", query: nil, version: .http1_1, headers: HTTPHeaders(),
            framing: .none, expectsContinue: false, keepAlive: false)
        let request = HTTPRequest(
            method: completed.method, target: completed.target, path: completed.path, query: completed.query,
            version: completed.version, headers: completed.headers, body: body)

        phase = .requestLine
        requestLine = nil
        headers = HTTPHeaders()
        headerBytes = 0
        head = nil
        body = []
        return request
    }

    /// Moves up to `remaining` buffered bytes into the body; returns how many are still expected,
    /// or nil when nothing is buffered.
    private mutating func consumeBody(upTo remaining: Int) -> Int? {
        let count = min(remaining, bufferedByteCount)
        guard count > 0 else {
            return nil
        }
        body.append(contentsOf: buffer[offset..<offset + count])
        offset += count
        return remaining - count
    }

    /// Reads one header or trailer line, counting it against the header section limit.
    private mutating func readHeaderLine() throws(HTTPParseError) -> ArraySlice<UInt8>? {
        let remaining = limits.maximumHeaderBytes - headerBytes
        let start = offset
        let tooLarge = HTTPParseError.headersTooLarge(limit: limits.maximumHeaderBytes)
        guard let line = try readLine(limit: remaining, tooLong: tooLarge, malformed: .invalidHeaderField) else {
            return nil
        }
        headerBytes += offset - start
        return line
    }

    /// Returns the next line without its CRLF or LF, or nil when no full line is buffered.
    /// Throws `tooLong` once the line, terminator included, is longer than `limit` bytes.
    private mutating func readLine(
        limit: Int, tooLong: HTTPParseError, malformed: HTTPParseError
    ) throws(HTTPParseError) -> ArraySlice<UInt8>? {
        let searchEnd = min(buffer.count, offset + max(limit, 0))
        guard let newline = buffer[offset..<searchEnd].firstIndex(of: UInt8(ascii: "\n")) else {
            if bufferedByteCount >= limit {
                throw tooLong
            }
            return nil
        }

        var end = newline
        if end > offset && buffer[end - 1] == UInt8(ascii: "\r") {
            end -= 1
        }
        let line = buffer[offset..<end]
        offset = newline + 1

        // A bare CR inside a line could be read as a line break by another parser on the path.
        guard !line.contains(UInt8(ascii: "\r")) else {
            throw malformed
        }
        return line
    }

    /// Runs one parsing step; an error moves the parser to `.failed` so every later call throws it again.
    private mutating func recordingFailure<T>(
        _ step: (inout HTTPRequestParser) throws(HTTPParseError) -> T
    ) throws(HTTPParseError) -> T {
        do {
            return try step(&self)
        } catch {
            phase = .failed(error)
            throw error
        }
    }
}
