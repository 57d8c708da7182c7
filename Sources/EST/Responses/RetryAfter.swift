/// The delay a device should wait before polling again, sent as `Retry-After: <seconds>`.
///
/// RFC 7030 section 4.2.3 allows the delta-seconds or HTTP-date forms; estgate always sends an
/// integer number of seconds because every EST client parses that form.
public struct RetryAfter: Equatable, Sendable {
    public static let minimumSeconds = 1
    public static let maximumSeconds = 86_400

    public let seconds: Int

    /// Clamps `seconds` to 1 s ... 1 day so a bad setting cannot make devices spin or vanish.
    public init(seconds: Int) {
        self.seconds = min(max(seconds, RetryAfter.minimumSeconds), RetryAfter.maximumSeconds)
    }

    public var headerValue: String { String(seconds) }
}
