import Foundation

/// A certificate the gateway issued, kept so a retry of the same CSR gets the same certificate.
public struct IssuedCertificateRecord: Sendable, Equatable {
    public var id: Int64
    /// Lowercase hex of the certificate serial number.
    public var serialNumber: String
    public var subject: String
    public var notBefore: Date
    public var notAfter: Date
    public var der: [UInt8]
    public var requestID: String?
    public var deviceID: Int64?
    public var createdAt: Date

    public init(
        id: Int64 = 0, serialNumber: String, subject: String, notBefore: Date, notAfter: Date, der: [UInt8],
        requestID: String? = nil, deviceID: Int64? = nil, createdAt: Date = Date()
    ) {
        self.id = id
        self.serialNumber = serialNumber
        self.subject = subject
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.der = der
        self.requestID = requestID
        self.deviceID = deviceID
        self.createdAt = createdAt
    }
}

/// Filters for listing issued certificates; nil fields do not filter.
public struct IssuedCertificateFilter: Sendable {
    public var deviceID: Int64?
    /// Certificates whose notAfter is before this time.
    public var expiringBefore: Date?
    /// Certificates whose notAfter is at or after this time, that is, not expired then.
    public var validAt: Date?
    public var limit: Int?

    public init(deviceID: Int64? = nil, expiringBefore: Date? = nil, validAt: Date? = nil, limit: Int? = nil) {
        self.deviceID = deviceID
        self.expiringBefore = expiringBefore
        self.validAt = validAt
        self.limit = limit
    }
}
