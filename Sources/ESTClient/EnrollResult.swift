import PKI

/// The outcome of one simpleenroll or simplereenroll request (RFC 7030 §4.2.3).
public enum EnrollResult: Sendable {
    /// 200: the certificate the server issued.
    case issued(Certificate)
    /// 202: the request is held; retry the same CSR after `retryAfter` seconds.
    case pending(retryAfter: Int, message: String)
    /// Any other status, with the server's text body.
    case rejected(status: Int, message: String)
}
