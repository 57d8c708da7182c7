/// The parts of an EST request path: `/.well-known/est[/<domain>[/<profile>]]/<operation>`.
///
/// RFC 7030 section 3.2.2 allows one optional label; estgate reads a first label as the domain
/// and a second as the certificate profile. No label means the default domain.
public struct ESTRoute: Equatable, Sendable {
    public static let pathPrefix = "/.well-known/est/"

    public var domainLabel: String?
    public var profileLabel: String?
    public var operation: ESTOperation

    public init(domainLabel: String? = nil, profileLabel: String? = nil, operation: ESTOperation) {
        self.domainLabel = domainLabel
        self.profileLabel = profileLabel
        self.operation = operation
    }

    /// Parses a percent-decoded request path; a path outside the EST tree or naming an unknown
    /// operation throws a 404 error naming what was not found.
    public static func parse(path: String) throws(ESTError) -> ESTRoute {
        guard path.hasPrefix(pathPrefix) else {
            throw .notFound("no EST resource at \(path); EST paths start with \(pathPrefix)")
        }

        var segments = path.dropFirst(pathPrefix.count).split(separator: "/", omittingEmptySubsequences: false)
        if segments.last == "" {
            segments.removeLast()
        }
        guard let last = segments.last, (1...3).contains(segments.count) else {
            throw .notFound("no EST resource at \(path)")
        }
        guard let operation = ESTOperation(rawValue: String(last)) else {
            throw .notFound("unknown EST operation \"\(last)\"")
        }

        let labels = segments.dropLast().map(String.init)
        for label in labels where !isValidLabel(label) {
            throw .notFound("invalid EST label \"\(label)\"; labels use letters, digits, '.', '_' and '-'")
        }
        return ESTRoute(domainLabel: labels.first, profileLabel: labels.dropFirst().first, operation: operation)
    }

    static func isValidLabel(_ label: String) -> Bool {
        !label.isEmpty && label.count <= 64
            && label.unicodeScalars.allSatisfy { scalar in
                ("0"..."9").contains(scalar) || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
                    || scalar == "." || scalar == "_" || scalar == "-"
            }
    }
}
