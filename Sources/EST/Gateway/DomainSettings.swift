import PKI
import Store

/// The settings of one enrollment domain that the EST layer uses, read from the store.
public struct DomainSettings: Sendable {
    public var id: Int64
    public var name: String
    public var caID: Int64
    public var authentication: AuthenticationMode
    /// PEM bundle of the anchors device client certificates must chain to, if any.
    public var trustAnchorsPEM: String?
    /// Poll delay while a person has to decide.
    public var retryAfter: RetryAfter
    /// Poll delay while only automatic steps (webhooks, conditions) are pending.
    public var automaticRetryAfter: RetryAfter
    /// OIDs returned by csrattrs; empty means 204.
    public var csrAttributes: [String]
    /// Whether CSRs must carry the TLS channel binding in challengePassword (RFC 7030 section 3.5).
    public var channelBindingRequired: Bool
    /// Whether an unknown device with a verified client certificate is registered on first contact.
    public var autoRegisterDevices: Bool
    public var defaultProfile: String
    /// Profile names a `<domain>/<profile>/<operation>` path may select; the default is always allowed.
    public var profiles: [String]
    /// Characters per line of base64 response bodies; 0 sends one line for clients that need it.
    public var base64LineLength: Int
}

/// A registered device with the fields authentication and workflows use.
public struct DeviceIdentity: Sendable {
    public var id: Int64
    public var name: String
    public var serialNumber: String?
    public var credentialHash: String?
    public var attributes: [String: String]
}
