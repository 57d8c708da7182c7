/// One PEM block (RFC 7468): the label between "BEGIN " and the dashes, and the decoded bytes.
public struct PEMBlock: Equatable, Sendable {
    public var label: String
    public var der: [UInt8]

    public init(label: String, der: [UInt8]) {
        self.label = label
        self.der = der
    }
}

/// PEM armor as written by OpenSSL: 64-character lines between BEGIN and END lines.
public enum PEM {
    public static func encode(label: String, der: [UInt8]) -> String {
        "-----BEGIN \(label)-----\n\(Base64.encode(der, lineLength: 64))\n-----END \(label)-----\n"
    }

    /// Decodes every PEM block in `text`, in order, ignoring text before, between and after them
    /// (explanatory text per RFC 7468 section 5.2). Headers such as `Proc-Type` are not supported.
    ///
    /// - Throws: `PKIError.invalidPEM` when a block has no END line, its END label differs, or its
    ///   body is not base64.
    public static func decode(_ text: String) throws -> [PEMBlock] {
        var blocks: [PEMBlock] = []
        var current: (label: String, body: [Substring])?

        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let trimmed = line.trimmingWhitespace()
            if let (label, _) = current {
                if let endLabel = armorLabel(trimmed, marker: "END") {
                    guard endLabel == label else {
                        throw PKIError(.invalidPEM, "PEM block \"\(label)\" ends with END \"\(endLabel)\"")
                    }
                    blocks.append(try finish(current!))
                    current = nil
                } else {
                    current!.body.append(trimmed)
                }
            } else if let label = armorLabel(trimmed, marker: "BEGIN") {
                current = (label, [])
            }
        }

        if let (label, _) = current {
            throw PKIError(.invalidPEM, "PEM block \"\(label)\" has no END line")
        }
        return blocks
    }

    /// Decodes the blocks of `text` labelled `label`.
    public static func decode(_ text: String, label: String) throws -> [[UInt8]] {
        try decode(text).filter { $0.label == label }.map(\.der)
    }

    private static func finish(_ block: (label: String, body: [Substring])) throws -> PEMBlock {
        do {
            return PEMBlock(label: block.label, der: try Base64.decode(block.body.joined()))
        } catch let error as PKIError {
            throw PKIError(.invalidPEM, "PEM block \"\(block.label)\" is not valid base64: \(error.message)")
        }
    }

    private static func armorLabel(_ line: Substring, marker: String) -> String? {
        let prefix = "-----\(marker) "
        let suffix = "-----"
        guard line.hasPrefix(prefix), line.hasSuffix(suffix), line.count >= prefix.count + suffix.count else {
            return nil
        }
        return String(line.dropFirst(prefix.count).dropLast(suffix.count))
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> Substring {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map { index(after: $0) } ?? start
        return self[start..<end]
    }
}
