import Foundation

/// How devices of a domain authenticate to the EST endpoints.
public enum AuthenticationMode: String, Sendable, Codable, CaseIterable {
    /// TLS client certificate verified against the domain's trust anchors.
    case certificate
    /// HTTP Basic against the device's stored credential hash.
    case basic
    case certificateOrBasic = "certificate-or-basic"
    case certificateAndBasic = "certificate-and-basic"
}

/// An EST label (`/.well-known/est/<domain>/...`) with its CA, authentication and retry settings.
public struct DomainRecord: Sendable, Equatable, Codable {
    public var id: Int64
    public var name: String
    public var caID: Int64
    public var authMode: AuthenticationMode
    public var trustAnchorsPEM: String?
    /// Retry-After for a request waiting on a person.
    public var retryAfterSeconds: Int
    /// Retry-After while only automatic steps (webhooks, conditions) are pending.
    public var automaticRetryAfterSeconds: Int
    /// OIDs (dotted strings) returned by `csrattrs`; empty means 204.
    public var csrAttributes: [String]
    public var channelBindingRequired: Bool
    public var autoRegisterDevices: Bool
    public var defaultProfile: String?
    /// Names of the certificate profiles a request in this domain may use.
    public var profiles: [String]
    /// Characters per line of base64 response bodies; 0 sends one unbroken line.
    public var base64LineLength: Int
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: Int64 = 0, name: String, caID: Int64, authMode: AuthenticationMode = .certificateOrBasic,
        trustAnchorsPEM: String? = nil, retryAfterSeconds: Int = 60, automaticRetryAfterSeconds: Int = 5,
        csrAttributes: [String] = [], channelBindingRequired: Bool = false, autoRegisterDevices: Bool = false,
        defaultProfile: String? = nil, profiles: [String] = [], base64LineLength: Int = 64, createdAt: Date = Date(), updatedAt: Date = Date()
    ) {
        self.id = id
        self.name = name
        self.caID = caID
        self.authMode = authMode
        self.trustAnchorsPEM = trustAnchorsPEM
        self.retryAfterSeconds = retryAfterSeconds
        self.automaticRetryAfterSeconds = automaticRetryAfterSeconds
        self.csrAttributes = csrAttributes
        self.channelBindingRequired = channelBindingRequired
        self.autoRegisterDevices = autoRegisterDevices
        self.defaultProfile = defaultProfile
        self.profiles = profiles
        self.base64LineLength = base64LineLength
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
