import Foundation
import HTTPServer
import Logging
import PKI
import Workflows

/// The EST server application (RFC 7030 with RFC 8951): routes each request under
/// `/.well-known/est/` to its operation and turns every refusal into one text/plain response.
public final class ESTService: HTTPRequestHandler {
    public static let defaultDomainName = "default"
    /// The largest accepted CSR body: base64 of a CSR with an RSA-8192 key and many SANs fits well.
    public static let maximumCSRBodyBytes = 64 * 1024

    private let directory: any EnrollmentDirectory
    private let orchestrator: EnrollmentOrchestrator
    private let authenticator: ESTAuthenticator
    private let logger: Logger
    /// Rejection warnings per client address: five a minute, then a count of the dropped ones.
    private let rejectionLimiter = RepeatLimiter(burst: 5, window: .seconds(60))

    public init(
        directory: any EnrollmentDirectory, engine: WorkflowEngine, logger: Logger,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.directory = directory
        self.logger = logger
        self.authenticator = ESTAuthenticator(directory: directory)
        self.orchestrator = EnrollmentOrchestrator(directory: directory, engine: engine, logger: logger, clock: clock)
    }

    public func maximumBodyBytes(method: String, path: String) -> Int? {
        method == "POST" ? ESTService.maximumCSRBodyBytes : 0
    }

    public func handle(_ request: HTTPRequest, context: ConnectionContext) -> HTTPResponse {
        do {
            return try route(request, context: context)
        } catch let error as ESTError {
            var metadata = [
                "http.request.id": context.requestID, "http.status": String(error.status), "reason": error.message,
                "path": request.path, "remote": context.remoteAddress,
            ]
            if error.status >= 500 {
                logger.error("EST request failed", metadata: metadata)
            } else {
                if let suppressed = rejectionLimiter.admit(context.remoteAddress) {
                    if suppressed > 0 {
                        metadata["suppressed"] = String(suppressed)
                    }
                    logger.warning("EST request rejected", metadata: metadata)
                }
            }
            return ESTResponses.error(error)
        } catch {
            logger.error(
                "EST request failed",
                metadata: ["http.request.id": context.requestID, "path": request.path, "error": "\(error)"])
            return ESTResponses.error(.internalError(requestID: context.requestID))
        }
    }

    private func route(_ request: HTTPRequest, context: ConnectionContext) throws -> HTTPResponse {
        let route = try ESTRoute.parse(path: request.path)
        guard request.method == route.operation.method else {
            throw ESTError.methodNotAllowed(request.method, allowed: route.operation.method)
        }

        let domainName = route.domainLabel ?? ESTService.defaultDomainName
        guard let domain = try directory.domain(named: domainName) else {
            throw ESTError.notFound("unknown EST domain \"\(domainName)\"")
        }
        let profile = try resolveProfile(route.profileLabel, domain: domain)

        switch route.operation {
        case .cacerts:
            // RFC 7030 section 4.1.1: cacerts needs no client authentication.
            let ca = try directory.certificateAuthority(id: domain.caID)
            return ESTResponses.certsOnly(ca.caChain, lineLength: domain.base64LineLength)
        case .csrattrs:
            let der = domain.csrAttributes.isEmpty ? nil : try CSRAttributes.encode(oids: domain.csrAttributes)
            return ESTResponses.csrAttributes(der, lineLength: domain.base64LineLength)
        case .fullcmc:
            throw ESTError.notImplemented("fullcmc is not supported by this gateway; use simpleenroll")
        case .simpleenroll, .simplereenroll, .serverkeygen:
            let client = try authenticator.authenticate(request, context: context, domain: domain)
            return try orchestrator.enroll(
                request, context: context, operation: route.operation, domain: domain, profile: profile, client: client)
        }
    }

    private func resolveProfile(_ label: String?, domain: DomainSettings) throws -> CertificateProfile {
        let name = label ?? domain.defaultProfile
        guard name == domain.defaultProfile || domain.profiles.contains(name),
            let profile = try directory.profile(named: name)
        else {
            throw ESTError.notFound("unknown certificate profile \"\(name)\" in EST domain \"\(domain.name)\"")
        }
        return profile
    }
}
