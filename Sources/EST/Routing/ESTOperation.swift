/// The EST operations of RFC 7030 section 3.2.2, named by their path segment.
public enum ESTOperation: String, CaseIterable, Sendable {
    case cacerts
    case simpleenroll
    case simplereenroll
    case csrattrs
    case serverkeygen
    case fullcmc

    /// The one HTTP method the operation accepts.
    public var method: String {
        switch self {
        case .cacerts, .csrattrs:
            "GET"
        case .simpleenroll, .simplereenroll, .serverkeygen, .fullcmc:
            "POST"
        }
    }

    /// True for the operations that submit a CSR and go through the approval workflows.
    public var submitsCSR: Bool {
        switch self {
        case .simpleenroll, .simplereenroll, .serverkeygen:
            true
        case .cacerts, .csrattrs, .fullcmc:
            false
        }
    }
}
