import Glibc

extension HTTPResponse {
    /// Fields the writer sets itself; a handler's own values for them are dropped.
    static let writerOwnedFields: Set<String> = ["content-length", "connection", "date", "transfer-encoding"]

    /// Encodes the status line, header section and body as one buffer, so they go out in one
    /// SSL_write. A field whose name or value could break the framing is dropped and its name returned.
    func serialized(keepAlive: Bool, omitBody: Bool, date: String) -> (bytes: [UInt8], droppedFields: [String]) {
        var head = "HTTP/1.1 \(status) \(HTTPResponse.reasonPhrase(status))\r\n"
        var dropped: [String] = []
        for (name, value) in headers {
            guard !HTTPResponse.writerOwnedFields.contains(name.lowercased()) else {
                continue
            }
            guard !name.isEmpty, name.utf8.allSatisfy(HTTPRequestParser.isTokenCharacter),
                !value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 })
            else {
                dropped.append(name)
                continue
            }
            head += "\(name): \(value)\r\n"
        }

        head += "Date: \(date)\r\n"
        let hasBody = !(100...199).contains(status) && status != 204 && status != 304
        if hasBody {
            head += "Content-Length: \(body.count)\r\n"
        }
        head += "Connection: \(keepAlive ? "keep-alive" : "close")\r\n\r\n"

        var bytes = Array(head.utf8)
        if hasBody && !omitBody {
            bytes.append(contentsOf: body)
        }
        return (bytes, dropped)
    }

    /// Formats `time` as an IMF-fixdate (RFC 9110 section 5.6.7).
    static func httpDate(_ time: time_t) -> String {
        var seconds = time
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var buffer = [CChar](repeating: 0, count: 64)
        let length = strftime(&buffer, buffer.count, "%a, %d %b %Y %H:%M:%S GMT", &parts)
        return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 304: "Not Modified"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 411: "Length Required"
        case 413: "Content Too Large"
        case 414: "URI Too Long"
        case 415: "Unsupported Media Type"
        case 417: "Expectation Failed"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 505: "HTTP Version Not Supported"
        default: "Status \(status)"
        }
    }
}
