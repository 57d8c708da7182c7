import ArgumentParsing
import Store

/// Resolves the names and id prefixes given on the command line to stored records, with errors
/// that name the value that matched nothing or too much.
struct StoreLookup {
    let session: any StoreSession

    func ca(named name: String) throws -> CARecord {
        guard let ca = try session.ca(named: name) else {
            throw AdminError.notFound(entity: "CA", key: name)
        }
        return ca
    }

    func domain(named name: String) throws -> DomainRecord {
        guard let domain = try session.domain(named: name) else {
            throw AdminError.notFound(entity: "domain", key: name)
        }
        return domain
    }

    /// Returns the device of a listing's `--device` option, or nil without it. `--domain` only
    /// chooses among devices of that name here, so alone it is rejected instead of being ignored.
    func device(filteredBy parsed: ParsedCommand) throws -> DeviceRecord? {
        guard let name = parsed.value("device") else {
            if let domainName = parsed.value("domain") {
                throw UsageError(
                    code: .missingValue,
                    message: "--domain \(domainName) chooses the domain of --device, which is missing; add --device NAME",
                    commandPath: ["estgate"] + parsed.path)
            }
            return nil
        }
        return try device(named: name, domainName: parsed.value("domain"))
    }

    /// Returns the device `name` in `domainName`, or in the one domain that has a device of that name.
    func device(named name: String, domainName: String?) throws -> DeviceRecord {
        if let domainName {
            let domain = try domain(named: domainName)
            guard let device = try session.device(named: name, domainID: domain.id) else {
                throw AdminError.notFound(entity: "device", key: "\(name)\" in domain \"\(domainName)")
            }
            return device
        }

        let matches = try session.listDevices(domainID: nil).filter { $0.name == name }
        guard matches.count <= 1 else {
            let domains = try matches.map { try self.domainName(id: $0.domainID) }.sorted()
            throw AdminError.ambiguousDevice(name: name, domains: domains)
        }
        guard let device = matches.first else {
            throw AdminError.notFound(entity: "device", key: name)
        }
        return device
    }

    /// An enrollment request, or the device request of a device lifecycle event.
    enum Request {
        case enrollment(EnrollmentRequestRecord)
        case device(DeviceRequestRecord)

        var id: String {
            switch self {
            case .enrollment(let request): request.id
            case .device(let request): request.id
            }
        }
    }

    /// Returns the enrollment or device request whose id is or starts with `prefix`. Both kinds
    /// have random UUIDs, so a prefix that matches one of each is ambiguous like any other.
    func request(idPrefix prefix: String) throws -> Request {
        let listed = AdminError.listedPrefixMatches
        let enrollments = try session.enrollmentRequests(idPrefix: prefix, limit: listed)
        let devices = try session.deviceRequests(idPrefix: prefix, limit: listed)
        let matches = enrollments.map(Request.enrollment) + devices.map(Request.device)

        guard matches.count <= 1 else {
            let total = try session.countEnrollmentRequests(idPrefix: prefix) + session.countDeviceRequests(idPrefix: prefix)
            let ids = Array(matches.map(\.id).sorted().prefix(listed))
            throw AdminError.ambiguousRequestPrefix(prefix: prefix, matches: ids, total: total)
        }
        guard let match = matches.first else {
            throw AdminError.notFound(entity: "request", key: prefix)
        }
        return match
    }

    /// The workflow definition with this numeric id, else the newest version named `reference`.
    func definition(_ reference: String) throws -> WorkflowDefinitionRecord {
        if let id = Int64(reference), let definition = try session.definition(id: id) {
            return definition
        }
        guard let newest = try session.listDefinitions().first(where: { $0.name == reference }) else {
            throw AdminError.notFound(entity: "workflow", key: reference)
        }
        return newest
    }

    func domainName(id: Int64) throws -> String {
        try session.domain(id: id)?.name ?? "#\(id)"
    }
}
