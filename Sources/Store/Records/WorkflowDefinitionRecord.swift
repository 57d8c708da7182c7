import Foundation

/// One version of a workflow definition; `definition` is the JSON document the Workflows
/// module parses (events and ordered steps).
public struct WorkflowDefinitionRecord: Sendable, Equatable, Codable {
    public var id: Int64
    public var name: String
    public var version: Int
    public var published: Bool
    public var definition: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: Int64 = 0, name: String, version: Int = 1, published: Bool = false, definition: String,
        createdAt: Date = Date(), updatedAt: Date = Date()
    ) {
        self.id = id
        self.name = name
        self.version = version
        self.published = published
        self.definition = definition
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// Assigns a definition to a CA, a domain, a device or a combination; nil means any.
public struct WorkflowScopeRecord: Sendable, Equatable, Hashable, Codable {
    public var id: Int64
    public var definitionID: Int64
    public var caID: Int64?
    public var domainID: Int64?
    public var deviceID: Int64?

    public init(id: Int64 = 0, definitionID: Int64, caID: Int64? = nil, domainID: Int64? = nil, deviceID: Int64? = nil) {
        self.id = id
        self.definitionID = definitionID
        self.caID = caID
        self.domainID = domainID
        self.deviceID = deviceID
    }

    /// True when every non-nil id of the scope equals the corresponding id of the request.
    public func matches(caID: Int64?, domainID: Int64?, deviceID: Int64?) -> Bool {
        if let scoped = self.caID, scoped != caID {
            return false
        }
        if let scoped = self.domainID, scoped != domainID {
            return false
        }
        if let scoped = self.deviceID, scoped != deviceID {
            return false
        }
        return true
    }
}
