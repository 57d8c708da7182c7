import Store

/// Names of CAs, domains and devices by id, read once per listing instead of once per row.
final class NameCache {
    private let session: any StoreSession
    private let caNames: [Int64: String]
    private let domainNames: [Int64: String]
    private var deviceNames: [Int64: String] = [:]

    init(session: any StoreSession) throws {
        self.session = session
        caNames = Dictionary(uniqueKeysWithValues: try session.listCAs().map { ($0.id, $0.name) })
        domainNames = Dictionary(uniqueKeysWithValues: try session.listDomains().map { ($0.id, $0.name) })
    }

    /// The CA's name, or `#id` for an id with no row.
    func ca(_ id: Int64?) -> String? {
        id.map { caNames[$0] ?? "#\($0)" }
    }

    func domain(_ id: Int64?) -> String? {
        id.map { domainNames[$0] ?? "#\($0)" }
    }

    func device(_ id: Int64?) throws -> String? {
        guard let id else {
            return nil
        }
        if let name = deviceNames[id] {
            return name
        }
        let name = try session.device(id: id)?.name ?? "#\(id)"
        deviceNames[id] = name
        return name
    }
}
