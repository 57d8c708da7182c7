import Foundation

/// A named certificate profile; `definition` is its JSON, interpreted by the PKI layer.
public struct ProfileRecord: Sendable, Equatable, Codable {
    public var id: Int64
    public var name: String
    public var definition: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: Int64 = 0, name: String, definition: String, createdAt: Date = Date(), updatedAt: Date = Date()) {
        self.id = id
        self.name = name
        self.definition = definition
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
