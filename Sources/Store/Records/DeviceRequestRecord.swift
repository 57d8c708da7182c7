import Foundation

public enum DeviceAction: String, Sendable, Codable, CaseIterable {
    case created
    case onboarded
    case deleted
}

/// The fan-out parent of a device lifecycle event.
public struct DeviceRequestRecord: Sendable, Equatable {
    /// Lowercase UUID.
    public var id: String
    public var deviceID: Int64
    public var domainID: Int64?
    public var caID: Int64?
    public var action: DeviceAction
    /// JSON of the event as raised.
    public var payload: String
    public var aggregatedState: String
    public var finalized: Bool
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String = RecordID.make(), deviceID: Int64, domainID: Int64?, caID: Int64?,
        action: DeviceAction, payload: String = "{}", aggregatedState: String, finalized: Bool = false,
        createdAt: Date = Date(), updatedAt: Date = Date()
    ) {
        self.id = id
        self.deviceID = deviceID
        self.domainID = domainID
        self.caID = caID
        self.action = action
        self.payload = payload
        self.aggregatedState = aggregatedState
        self.finalized = finalized
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
