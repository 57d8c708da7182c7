import Foundation

/// One enrollment attempt: the fan-out parent of the workflow instances that decide it.
///
/// States are the Workflows module's state strings; the store keeps them as text.
public struct EnrollmentRequestRecord: Sendable, Equatable {
    /// Lowercase UUID.
    public var id: String
    public var protocolName: String
    public var operation: String
    public var caID: Int64
    public var domainID: Int64
    public var deviceID: Int64?
    /// Lowercase hex SHA-256 of the CSR's CertificationRequestInfo without challengePassword.
    public var fingerprint: String
    /// Certificate profile name.
    public var template: String
    public var aggregatedState: String
    public var finalized: Bool
    public var reason: String?
    public var certificateID: Int64?
    public var csrDER: [UInt8]
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String = RecordID.make(), protocolName: String, operation: String, caID: Int64,
        domainID: Int64, deviceID: Int64?, fingerprint: String, template: String, aggregatedState: String,
        finalized: Bool = false, reason: String? = nil, certificateID: Int64? = nil, csrDER: [UInt8],
        createdAt: Date = Date(), updatedAt: Date = Date()
    ) {
        self.id = id
        self.protocolName = protocolName
        self.operation = operation
        self.caID = caID
        self.domainID = domainID
        self.deviceID = deviceID
        self.fingerprint = fingerprint
        self.template = template
        self.aggregatedState = aggregatedState
        self.finalized = finalized
        self.reason = reason
        self.certificateID = certificateID
        self.csrDER = csrDER
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// The columns that group the retries of one enrollment attempt.
public struct EnrollmentRequestKey: Sendable, Hashable {
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
}

/// Filters for listing enrollment requests; nil fields do not filter.
public struct EnrollmentRequestFilter: Sendable {
    public var state: String?
    public var domainID: Int64?
    public var deviceID: Int64?
    public var finalized: Bool?
    /// Requests created at or after this time.
    public var since: Date?
    public var limit: Int?

    public init(
        state: String? = nil, domainID: Int64? = nil, deviceID: Int64? = nil, finalized: Bool? = nil,
        since: Date? = nil, limit: Int? = nil
    ) {
        self.state = state
        self.domainID = domainID
        self.deviceID = deviceID
        self.finalized = finalized
        self.since = since
        self.limit = limit
    }
}
