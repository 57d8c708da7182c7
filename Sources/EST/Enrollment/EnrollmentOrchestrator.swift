import Foundation
import HTTPServer
import Logging
import PKI
import Store
import Workflows

/// Runs one simpleenroll, simplereenroll or serverkeygen request through the enrollment contract:
/// decode and verify the CSR, group it by fingerprint into one EnrollmentRequest, let the workflows
/// decide, and respond with 202, 200 or the refusal. Each call blocks on SQLite and, when issuing, on the
/// CA's private key, so it runs on a handler thread.
final class EnrollmentOrchestrator: Sendable {
    let directory: any EnrollmentDirectory
    let engine: WorkflowEngine
    let logger: Logger
    let clock: @Sendable () -> Date
    /// Serialises issuance per request, so concurrent polls of an approved request sign once.
    private let issuanceLocks = StripedLocks(count: 64)
    /// CSRs of requests that got 202, parsed and verified, by the SHA-256 of the request body. A
    /// device polls with the same body (RFC 7030 section 4.2.3), and parsing the CSR is the
    /// largest cost of a poll after the TLS handshake. A changed body, such as a new channel
    /// binding, misses and is parsed and verified again. Only bodies up to `cachedBodyBytes` are
    /// kept, so the cache uses at most about 12 MiB (an estimate for 1,024 of the largest).
    private let pendingCSRs = ExpiringCache<[UInt8], CertificateSigningRequest>(lifetime: 300, maximumEntries: 1024)
    private static let cachedBodyBytes = 8 * 1024

    init(directory: any EnrollmentDirectory, engine: WorkflowEngine, logger: Logger, clock: @escaping @Sendable () -> Date) {
        self.directory = directory
        self.engine = engine
        self.logger = logger
        self.clock = clock
    }

    func enroll(
        _ request: HTTPRequest, context: ConnectionContext, operation: ESTOperation,
        domain: DomainSettings, profile: CertificateProfile, client: ESTClientIdentity
    ) throws -> HTTPResponse {
        try checkContentType(request)
        let bodyDigest = Digest.sha256(request.body)
        let csr = try pendingCSRs.value(for: bodyDigest) ?? decodeCSR(request)
        try checkChannelBinding(csr, context: context, domain: domain)
        let fingerprint = csr.fingerprint
        let publicKey = try csr.publicKey
        do {
            try profile.checkKeyAllowed(publicKey)
        } catch {
            throw ESTError.badRequest("\(error)")
        }
        if operation == .simplereenroll {
            try checkRenewal(csr, client: client, profile: profile)
        }

        let ca = try directory.certificateAuthority(id: domain.caID)
        let identity = EnrollmentIdentity(
            protocolName: "est", operation: operation.rawValue, caID: domain.caID, domainID: domain.id,
            deviceID: client.device?.id, fingerprint: fingerprint, template: profile.name)
        // A request its workflows pass at once is signed inside the transaction that creates it,
        // except with serverkeygen, whose key generation is too slow to run under the write lock.
        var issuedAtOnce: Certificate?
        let issuer: ((String) throws -> IssuedCertificateRecord)? =
            operation == .serverkeygen
            ? nil
            : { requestID in
                let certificate = try ca.issue(csr: csr, profile: profile, now: self.clock())
                issuedAtOnce = certificate
                return IssuedCertificateRecord(certificate, requestID: requestID, deviceID: client.device?.id)
            }
        let status = try engine.submitEnrollment(
            identity,
            facts: EnrollmentFacts(
                csr: csr, publicKey: publicKey, device: client.device, domainName: domain.name,
                caName: ca.certificate.subject.description, remoteAddress: context.remoteAddress),
            csrDER: csr.derEncoded, issuer: issuer)
        if let certificate = issuedAtOnce, status.issuedInThisCall {
            announce(certificate, status: status, client: client, domainID: domain.id, caID: domain.caID)
        }

        // The logger calls this only for lines its level lets through, so a poll at warning level
        // builds none of this metadata.
        func decisionMetadata(_ extra: Logger.Metadata = [:]) -> Logger.Metadata {
            [
                "request.id": status.requestID,
                "csr.fingerprint": String(fingerprint.prefix(12)),
                "domain": domain.name,
                "device": client.device?.name ?? "-",
                "operation": operation.rawValue,
                "http.request.id": context.requestID,
            ].merging(extra) { _, new in new }
        }
        if status.created {
            logger.info("enrollment request opened", metadata: decisionMetadata())
        }

        let response: HTTPResponse
        let finalState: State
        if status.state.allowsIssuance && status.issuedCertificateDER == nil {
            let issuance = try issue(
                status: status, csr: csr, ca: ca, profile: profile, operation: operation, client: client,
                domainID: domain.id, caID: domain.caID, lineLength: domain.base64LineLength)
            finalState = issuance.status.state
            response = try issuance.serverKeygenResponse ?? respond(to: issuance.status, operation: operation, domain: domain)
        } else {
            finalState = status.state
            response = try respond(to: status, operation: operation, domain: domain)
        }

        if response.status == 202, request.body.count <= Self.cachedBodyBytes {
            pendingCSRs.insert(csr, for: bodyDigest)
        }
        logger.info(
            "enrollment decided", metadata: decisionMetadata(["state": finalState.rawValue, "http.status": String(response.status)]))
        return response
    }

    /// Maps the aggregate state of the request to the EST response.
    private func respond(to status: EnrollmentStatus, operation: ESTOperation, domain: DomainSettings) throws -> HTTPResponse {
        if let der = status.issuedCertificateDER {
            // NOTE: a server-generated key is not stored, so a repeated serverkeygen poll after
            // delivery cannot get it again. The device must start over with a new CSR.
            guard operation != .serverkeygen else {
                throw ESTError.conflict(
                    "the key and certificate of enrollment request \(status.requestID) were already delivered; send a new CSR for a new key")
            }
            return ESTResponses.certsOnly(derEncoded: [der], lineLength: domain.base64LineLength)
        }

        switch status.state {
        case .running, .awaitingApproval, .approved, .passed:
            let seconds = status.onlyAutomaticStepsPending ? domain.automaticRetryAfter : domain.retryAfter
            return ESTResponses.pending(requestID: status.requestID, retryAfter: seconds)
        case .rejected:
            let reason = status.reason.map { ": \($0)" } ?? ""
            throw ESTError.forbidden("enrollment request \(status.requestID) was rejected\(reason)")
        case .aborted:
            throw ESTError.forbidden("enrollment request \(status.requestID) was aborted")
        case .failed:
            throw ESTError(
                status: 500, message: "enrollment request \(status.requestID) failed; the gateway audit trail has the details")
        case .finalized:
            throw ESTError(
                status: 500, message: "enrollment request \(status.requestID) is finalized without a certificate")
        }
    }

    // MARK: Steps

    private func checkContentType(_ request: HTTPRequest) throws {
        guard let contentType = request.headers["Content-Type"] else {
            throw ESTError.unsupportedMediaType("Content-Type is missing; expected application/pkcs10")
        }
        guard MediaType(headerValue: contentType) == .pkcs10 else {
            throw ESTError.unsupportedMediaType("Content-Type \(contentType) is not supported; expected application/pkcs10")
        }
    }

    /// Decodes the body and verifies the CSR's proof of possession.
    private func decodeCSR(_ request: HTTPRequest) throws -> CertificateSigningRequest {
        guard request.body.contains(where: { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D) }) else {
            throw ESTError.badRequest("the request body is empty; expected a base64-encoded PKCS#10 CSR")
        }

        let csr: CertificateSigningRequest
        do {
            csr = try CertificateSigningRequest.decodeESTBody(request.body)
        } catch {
            throw ESTError.badRequest("the request body is not a valid CSR: \(error)")
        }
        do {
            try csr.verifySignature()
        } catch {
            throw ESTError.badRequest("the CSR signature does not verify, so it does not prove possession of the key")
        }
        return csr
    }

    /// RFC 7030 section 3.5: the CSR's challengePassword must be the base64 of this connection's
    /// tls-unique (TLS 1.2) or tls-exporter (TLS 1.3, RFC 9266) value.
    private func checkChannelBinding(_ csr: CertificateSigningRequest, context: ConnectionContext, domain: DomainSettings)
        throws
    {
        guard domain.channelBindingRequired else {
            return
        }

        let (name, value): (String, [UInt8]?) =
            context.tlsExporter != nil ? ("tls-exporter", context.tlsExporter) : ("tls-unique", context.tlsUnique)
        guard let value else {
            throw ESTError.forbidden("domain \(domain.name) requires TLS channel binding, but this connection has none")
        }
        guard let password = csr.challengePassword else {
            throw ESTError.forbidden(
                "domain \(domain.name) requires the CSR challengePassword to carry the \(name) channel binding; it has none")
        }
        guard password == Base64.encode(value, lineLength: nil) else {
            throw ESTError.forbidden(
                "the CSR challengePassword does not match this connection's \(name) channel binding")
        }
    }

    private func checkRenewal(_ csr: CertificateSigningRequest, client: ESTClientIdentity, profile: CertificateProfile) throws {
        guard let certificate = client.clientCertificate, client.clientCertificateIssuedByGateway else {
            throw ESTError.forbidden(
                "simplereenroll requires the TLS client certificate being renewed, issued by this gateway")
        }
        try RenewalCheck.verify(csr: csr, renewing: certificate, profile: profile)
    }

    /// Logs a certificate just stored and, when it is the device's first, raises the device's
    /// onboarded event. The certificate is already committed, so a failed event is logged and
    /// the device still gets its certificate.
    private func announce(
        _ certificate: Certificate, status: EnrollmentStatus, client: ESTClientIdentity, domainID: Int64, caID: Int64
    ) {
        logger.info(
            "certificate issued",
            metadata: [
                "request.id": status.requestID, "certificate.serial": certificate.serialNumberHex,
                "certificate.subject": certificate.subject.description, "device": client.device?.name ?? "-",
            ])

        guard let device = client.device, status.firstCertificateForDevice else {
            return
        }
        do {
            _ = try engine.raiseDeviceEvent(
                deviceID: device.id, domainID: domainID, caID: caID, action: .onboarded,
                payload: .object(["requestID": .string(status.requestID), "serial": .string(certificate.serialNumberHex)]))
        } catch {
            logger.error(
                "raising the device's onboarded event failed",
                metadata: ["request.id": status.requestID, "device": device.name, "error": "\(error)"])
        }
    }

    struct Issuance {
        var status: EnrollmentStatus
        /// The multipart serverkeygen response, which carries the generated key and exists only once.
        var serverKeygenResponse: HTTPResponse?
    }

    /// Signs the certificate once per request: under the request's lock the store is read again,
    /// and a request that already has a certificate keeps it.
    private func issue(
        status: EnrollmentStatus, csr: CertificateSigningRequest, ca: CertificateAuthority,
        profile: CertificateProfile, operation: ESTOperation, client: ESTClientIdentity, domainID: Int64, caID: Int64,
        lineLength: Int
    ) throws -> Issuance {
        try issuanceLocks.withLock(for: status.requestID) {
            let current = try engine.enrollmentStatus(requestID: status.requestID)
            guard current.issuedCertificateDER == nil, current.state.allowsIssuance else {
                return Issuance(status: current)
            }

            var generatedKey: PrivateKey?
            if operation == .serverkeygen {
                generatedKey = try PrivateKey.generate(KeySpec(matching: try csr.publicKey.algorithm))
            }
            let certificate = try ca.issue(csr: csr, profile: profile, now: clock(), publicKey: generatedKey?.publicKey)
            let recorded = try engine.recordIssuedCertificate(
                requestID: status.requestID,
                certificate: IssuedCertificateRecord(certificate, requestID: status.requestID, deviceID: client.device?.id))
            if recorded.issuedInThisCall {
                announce(certificate, status: recorded, client: client, domainID: domainID, caID: caID)
            }

            var issuance = Issuance(status: recorded)
            if let generatedKey {
                issuance.serverKeygenResponse = try ESTResponses.serverGeneratedKey(
                    privateKeyPKCS8: generatedKey.pkcs8DER, certificate: certificate,
                    boundary: "estgate-\(UUID().uuidString)", lineLength: lineLength)
            }
            return issuance
        }
    }
}
