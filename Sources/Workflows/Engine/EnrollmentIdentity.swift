import Store

/// The tuple that groups the retries of one enrollment attempt: a retry with the same tuple
/// finds the same request.
public struct EnrollmentIdentity: Sendable, Hashable {
    /// `"est"`.
    public var protocolName: String
    /// `"simpleenroll"`, `"simplereenroll"` or `"serverkeygen"`.
    public var operation: String
    public var caID: Int64
    public var domainID: Int64
    public var deviceID: Int64?
    /// Lowercase hex SHA-256 of the CSR's CertificationRequestInfo without challengePassword.
    public var fingerprint: String
    /// Certificate profile name.
    public var template: String

    public init(
        protocolName: String = "est", operation: String, caID: Int64, domainID: Int64, deviceID: Int64?,
        fingerprint: String, template: String
    ) {
        self.protocolName = protocolName
        self.operation = operation
        self.caID = caID
        self.domainID = domainID
        self.deviceID = deviceID
        self.fingerprint = fingerprint
        self.template = template
    }

    var key: EnrollmentRequestKey {
        EnrollmentRequestKey(
            protocolName: protocolName, operation: operation, caID: caID, domainID: domainID, deviceID: deviceID,
            fingerprint: fingerprint, template: template)
    }
}
