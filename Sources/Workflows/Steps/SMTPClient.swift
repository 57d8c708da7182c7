import Foundation

/// One SMTP reply: the three-digit code and the text of each line (RFC 5321 §4.2).
struct SMTPReply: Equatable {
    var code: Int
    var lines: [String]
}

/// A message to deliver and the relay settings to deliver it with.
struct SMTPSubmission {
    var host: String
    var port: Int
    var startTLS: Bool
    var caFile: String?
    var credentials: (username: String, password: String)?
    var from: String
    var recipients: [String]
    /// The RFC 5322 message, headers and body, with CRLF line ends and not yet dot-stuffed.
    var message: String
    var timeout: TimeInterval
}

/// A minimal SMTP client (RFC 5321) with STARTTLS (RFC 3207) and AUTH PLAIN (RFC 4616) that
/// delivers one message per connection.
final class SMTPClient {
    /// Longest reply line accepted; RFC 5321 §4.5.3.1.5 sets 512 octets, with room for extensions.
    static let maximumLineLength = 4_096
    /// Maximum number of lines in one multiline reply.
    static let maximumReplyLines = 100

    private let socket: SMTPSocket
    private var tls: SMTPTLSSession?
    private var buffer: [UInt8] = []

    private init(socket: SMTPSocket) {
        self.socket = socket
    }

    /// Delivers `submission` and returns the relay's reply to the end of DATA. Blocks for at
    /// most `submission.timeout` seconds in total.
    static func deliver(_ submission: SMTPSubmission) throws(SMTPError) -> SMTPReply {
        let deadline = DispatchTime.now() + submission.timeout
        let socket = try SMTPSocket.connect(host: submission.host, port: submission.port, deadline: deadline)
        defer { socket.close() }

        let client = SMTPClient(socket: socket)
        try client.expect(client.readReply(), 220, during: "greeting")
        var extensions = try client.hello()

        if submission.startTLS {
            guard extensions.contains("STARTTLS") else {
                throw .permanent("relay does not offer STARTTLS")
            }
            try client.command("STARTTLS", expecting: 220)

            // Bytes that arrived before the handshake were not protected by TLS, so they are
            // dropped rather than read as replies (RFC 3207 §5).
            client.buffer.removeAll()
            let session = try SMTPTLSSession(socket: socket, host: submission.host, caFile: submission.caFile)
            try session.handshake()
            client.tls = session
            extensions = try client.hello()
        }

        if let credentials = submission.credentials {
            // AUTH PLAIN sends the password in base64, so it is only allowed inside TLS.
            guard client.tls != nil else {
                throw .permanent("AUTH PLAIN requires STARTTLS")
            }
            guard extensions.contains(where: { $0.hasPrefix("AUTH ") && $0.split(separator: " ").contains("PLAIN") }) else {
                throw .permanent("relay does not offer AUTH PLAIN")
            }
            let token = Data("\0\(credentials.username)\0\(credentials.password)".utf8).base64EncodedString()
            try client.command("AUTH PLAIN \(token)", expecting: 235, shownAs: "AUTH PLAIN")
        }

        try client.command("MAIL FROM:<\(submission.from)>", expecting: 250)
        for recipient in submission.recipients {
            try client.command("RCPT TO:<\(recipient)>", expecting: 250, 251)
        }
        try client.command("DATA", expecting: 354)
        try client.write(Array(dotStuffed(submission.message).utf8) + Array(".\r\n".utf8))
        let accepted = try client.readReply()
        try client.expect(accepted, 250, during: "end of DATA")

        try? client.write(Array("QUIT\r\n".utf8))
        _ = try? client.readReply()
        client.tls?.shutdown()
        return accepted
    }

    /// Escapes lines that start with "." by doubling it and ends the text with CRLF, so the
    /// message cannot end DATA early (RFC 5321 §4.5.2).
    static func dotStuffed(_ message: String) -> String {
        var lines = message.components(separatedBy: "\r\n")
        if lines.last == "" {
            lines.removeLast()
        }
        return lines.map { $0.hasPrefix(".") ? "." + $0 : $0 }.joined(separator: "\r\n") + "\r\n"
    }

    /// Sends EHLO and returns the extension lines the relay lists, uppercased (`"AUTH PLAIN"`).
    private func hello() throws(SMTPError) -> [String] {
        let reply = try command("EHLO estgate.localdomain", expecting: 250)
        return reply.lines.dropFirst().map { $0.uppercased() }
    }

    @discardableResult
    private func command(_ line: String, expecting codes: Int..., shownAs shown: String? = nil) throws(SMTPError) -> SMTPReply {
        try write(Array("\(line)\r\n".utf8))
        let reply = try readReply()
        let verb = shown ?? line.split(separator: " ").prefix(2).joined(separator: " ")
        try expect(reply, codes, during: verb)
        return reply
    }

    private func expect(_ reply: SMTPReply, _ codes: Int..., during step: String) throws(SMTPError) {
        try expect(reply, codes, during: step)
    }

    private func expect(_ reply: SMTPReply, _ codes: [Int], during step: String) throws(SMTPError) {
        guard !codes.contains(reply.code) else {
            return
        }
        let text = "\(step) returned \(reply.code) \(reply.lines.joined(separator: " "))"
        throw reply.code >= 500 ? .permanent(text) : .transient(text)
    }

    private func write(_ bytes: [UInt8]) throws(SMTPError) {
        if let tls {
            try tls.write(bytes)
        } else {
            try socket.write(bytes)
        }
    }

    private func readReply() throws(SMTPError) -> SMTPReply {
        var lines: [String] = []
        while lines.count < Self.maximumReplyLines {
            let line = try readLine()
            let bytes = Array(line.utf8)
            guard bytes.count >= 3, let code = Int(String(decoding: bytes[0..<3], as: UTF8.self)),
                bytes.count == 3 || bytes[3] == UInt8(ascii: " ") || bytes[3] == UInt8(ascii: "-")
            else {
                throw .transient("invalid SMTP reply line \"\(line.prefix(80))\"")
            }
            lines.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
            if bytes.count == 3 || bytes[3] == UInt8(ascii: " ") {
                return SMTPReply(code: code, lines: lines)
            }
        }
        throw .transient("SMTP reply longer than \(Self.maximumReplyLines) lines")
    }

    private func readLine() throws(SMTPError) -> String {
        while true {
            if let end = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(buffer[..<end])
                buffer.removeSubrange(...end)
                if line.last == UInt8(ascii: "\r") {
                    line.removeLast()
                }
                return String(decoding: line, as: UTF8.self)
            }
            guard buffer.count < Self.maximumLineLength else {
                throw .transient("SMTP reply line longer than \(Self.maximumLineLength) bytes")
            }

            let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1_024, alignment: 1)
            defer { chunk.deallocate() }
            let count: Int
            if let tls {
                count = try tls.read(into: chunk)
            } else {
                count = try socket.read(into: chunk)
            }
            guard count > 0 else {
                throw .transient("connection closed by relay")
            }
            buffer += chunk[..<count]
        }
    }
}
