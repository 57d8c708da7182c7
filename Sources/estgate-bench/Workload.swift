/// The kind of request each simulated device sends.
enum Workload: String, CaseIterable, Sendable {
    /// simpleenroll with a distinct CSR per request.
    case enroll
    /// simpleenroll re-sending a fixed set of CSRs, as devices polling a pending request do.
    case poll
    /// GET cacerts.
    case cacerts
    /// GET of an arbitrary path, for comparing with a plain TLS web server.
    case get
}
