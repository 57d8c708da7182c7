import Store

/// Where a workflow definition applies, in words, from its scope rows.
///
/// A definition without scope rows applies everywhere. With rows, it applies to a request that
/// matches any one of them, and a row's missing CA, domain or device means any.
struct ScopeDescription {
    /// One phrase per scope row, such as "domain factory, any CA, any device".
    let rows: [String]

    init(scopes: [WorkflowScopeRecord], names: NameCache) throws {
        rows = try scopes.map { try Self.phrase($0, names: names) }
    }

    /// "applies everywhere (no scope rows)", "applies to domain factory, any CA, any device", or
    /// for several rows "applies to any of: …; …".
    var sentence: String {
        switch rows.count {
        case 0: "applies everywhere (no scope rows)"
        case 1: "applies to \(rows[0])"
        default: "applies to any of: \(rows.joined(separator: "; "))"
        }
    }

    /// A short form for a table column.
    var summary: String {
        switch rows.count {
        case 0: "everywhere"
        case 1: rows[0]
        default: countText(rows.count, "scope")
        }
    }

    /// Names the given parts first, then the parts that match anything.
    static func phrase(_ scope: WorkflowScopeRecord, names: NameCache) throws -> String {
        try phrase(ca: names.ca(scope.caID), domain: names.domain(scope.domainID), device: names.device(scope.deviceID))
    }

    static func phrase(ca: String?, domain: String?, device: String?) -> String {
        let parts = [("CA", ca), ("domain", domain), ("device", device)]
        let given = parts.compactMap { label, name in name.map { "\(label) \($0)" } }
        let open = parts.filter { $0.1 == nil }.map { "any \($0.0)" }
        return (given + open).joined(separator: ", ")
    }
}
