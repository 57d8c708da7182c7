/// An admin command that cannot do what was asked; each message is one sentence naming the value.
public enum AdminError: Error, Equatable, CustomStringConvertible {
    case databaseMissing(path: String)
    case notFound(entity: String, key: String)
    /// A request id prefix that matches several requests; `matches` contains the first few full ids.
    case ambiguousRequestPrefix(prefix: String, matches: [String], total: Int)
    /// A certificate serial prefix that matches several certificates. `matches` contains the
    /// first few full serial numbers.
    case ambiguousSerialPrefix(prefix: String, matches: [String], total: Int)
    /// A device name used in several domains while no `--domain` was given.
    case ambiguousDevice(name: String, domains: [String])
    case alreadyExists(entity: String, key: String)
    case unreadableFile(path: String, reason: String)
    case invalidDefinition(path: String, errors: [String])
    case emptyPassword
    case deviceDeleted(name: String, domain: String)
    case unknownProfile(name: String, known: [String])
    case scopeNotFound(definition: String, scope: String)
    case requestFinalized(id: String, state: String)
    case deviceRequestNotAbortable(id: String)

    public var description: String {
        switch self {
        case .databaseMissing(let path):
            return "database \(path) does not exist; run 'estgate serve' with this data directory first to create it"
        case .notFound(let entity, let key):
            return "\(entity) \"\(key)\" not found"
        case .ambiguousRequestPrefix(let prefix, let matches, let total):
            return Self.ambiguousPrefixMessage("request id", prefix: prefix, matches: matches, total: total, entities: "requests")
        case .ambiguousSerialPrefix(let prefix, let matches, let total):
            return Self.ambiguousPrefixMessage(
                "serial number", prefix: prefix, matches: matches, total: total, entities: "certificates")
        case .ambiguousDevice(let name, let domains):
            return "device \"\(name)\" exists in domains \(domains.joined(separator: ", ")); add --domain to choose one"
        case .alreadyExists(let entity, let key):
            return "\(entity) \"\(key)\" already exists"
        case .unreadableFile(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .invalidDefinition(let path, let errors):
            return "workflow definition \(path) is invalid: \(errors.joined(separator: "; "))"
        case .emptyPassword:
            return "the password read from standard input is empty; pipe the password in, for example with 'printf %s'"
        case .deviceDeleted(let name, let domain):
            return "device \"\(name)\" in domain \"\(domain)\" is deleted"
        case .unknownProfile(let name, let known):
            let list = known.isEmpty ? "none are stored" : "known profiles: \(known.joined(separator: ", "))"
            return "certificate profile \"\(name)\" not found (\(list))"
        case .scopeNotFound(let definition, let scope):
            return "workflow \"\(definition)\" has no scope \(scope)"
        case .requestFinalized(let id, let state):
            return "request \(id) is already finalized as \(state); only open requests can be aborted"
        case .deviceRequestNotAbortable(let id):
            return "request \(id) is a device request, the record of a device event that already happened, "
                + "so it cannot be aborted"
        }
    }

    /// How many full ids or serial numbers an ambiguous-prefix message lists.
    static let listedPrefixMatches = 5

    private static func ambiguousPrefixMessage(
        _ key: String, prefix: String, matches: [String], total: Int, entities: String
    ) -> String {
        let more = total > matches.count ? " and \(total - matches.count) more" : ""
        return "\(key) prefix \"\(prefix)\" matches \(total) \(entities) (\(matches.joined(separator: ", "))\(more)); "
            + "give more characters"
    }
}
