// libFuzzer entry point for the HTTP request parser. It is compiled together with the parser's
// source files by scripts/fuzz-http-parser.sh, outside the package build, because it needs
// -sanitize=fuzzer.

/// Parses `bytes` fed in pieces of `pieceSize` and returns a comparable summary of the outcome.
func summarize(_ bytes: [UInt8], pieceSize: Int, limits: HTTPLimits) -> [String] {
    var parser = HTTPRequestParser(limits: limits)
    var summary: [String] = []
    var start = 0
    while start < bytes.count {
        let end = min(bytes.count, start + pieceSize)
        parser.append(bytes[start..<end])
        start = end
        do {
            while let event = try parser.next() {
                switch event {
                case .head(let head):
                    summary.append("head \(head.method) \(head.path) \(head.framing) \(head.keepAlive)")
                    try parser.startBody(maximumBytes: head.path.count * 64)
                case .request(let request):
                    summary.append("request \(request.target) \(request.body.count) \(request.headers.count)")
                }
            }
        } catch {
            summary.append("error \(error)")
            return summary
        }
    }
    return summary
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPRequestParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else {
        return 0
    }
    let pieceSize = Int(data[0] % 32) + 1
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    var limits = HTTPLimits()
    limits.maximumRequestLineLength = 256
    limits.maximumHeaderBytes = 512
    limits.maximumBodyBytes = 1024

    // The outcome must not depend on how the bytes were split across reads.
    let whole = summarize(bytes, pieceSize: max(1, bytes.count), limits: limits)
    let split = summarize(bytes, pieceSize: pieceSize, limits: limits)
    precondition(whole == split, "split reads changed the outcome: \(whole) vs \(split)")
    return 0
}
