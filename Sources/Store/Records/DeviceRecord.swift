import Foundation

public enum DeviceStatus: String, Sendable, Codable, CaseIterable {
    case active
    /// Kept for the audit trail and issued certificates; it can no longer enroll.
    case deleted
}

/// A device known in one domain, unique by name within it.
public struct DeviceRecord: Sendable, Equatable, Codable {
    public var id: Int64
    public var name: String
    public var serialNumber: String?
    public var domainID: Int64
    /// Salted slow hash of the HTTP Basic password, in the PKI layer's encoded form.
    public var credentialHash: String?
    public var status: DeviceStatus
    public var attributes: [String: String]
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: Int64 = 0, name: String, serialNumber: String? = nil, domainID: Int64, credentialHash: String? = nil,
        status: DeviceStatus = .active, attributes: [String: String] = [:], createdAt: Date = Date(),
        updatedAt: Date = Date()
    ) {
        self.id = id
        self.name = name
        self.serialNumber = serialNumber
        self.domainID = domainID
        self.credentialHash = credentialHash
        self.status = status
        self.attributes = attributes
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
