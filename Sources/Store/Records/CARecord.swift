import Foundation

/// An issuing CA the gateway signs with: files on disk, not key bytes in the database.
public struct CARecord: Sendable, Equatable, Codable {
    public var id: Int64
    public var name: String
    public var certificatePath: String
    public var privateKeyPath: String
    /// PEM file with the intermediates up to the root, served by `cacerts`.
    public var chainPath: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: Int64 = 0, name: String, certificatePath: String, privateKeyPath: String, chainPath: String? = nil,
        createdAt: Date = Date(), updatedAt: Date = Date()
    ) {
        self.id = id
        self.name = name
        self.certificatePath = certificatePath
        self.privateKeyPath = privateKeyPath
        self.chainPath = chainPath
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
