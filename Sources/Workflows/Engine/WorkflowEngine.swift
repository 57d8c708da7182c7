import Foundation
import Logging
import Store

/// Runs workflow definitions against enrollment and device requests: creates requests and their
/// instances, steps instances forward, applies administrators' decisions and keeps each
/// request's aggregated state.
///
/// Every state change happens in one store transaction together with its step-run and audit
/// rows. Methods block on the database (and on synchronous steps such as Condition), so call
/// them off the event loop. Background steps (Webhook, Email, Timeout) never run inside these
/// methods: instances reaching one are left Running with a due time for `WorkflowWorker`.
public final class WorkflowEngine: Sendable {
    let store: any GatewayStore
    let executorsByType: [String: any StepExecutor]
    let logger: Logger
    let clock: @Sendable () -> Date
    /// How long a worker's lease on a background step lasts before another worker may run it again.
    let leaseDuration: TimeInterval
    /// How long after a `wait` outcome the worker runs the step again.
    let waitRecheckInterval: TimeInterval
    /// Steps one instance may run in a row without waiting; more means a transition loop.
    static let maximumStepsPerAdvance = 100
    /// Published definitions, decoded once per stored text, because every new request reads all of them.
    let decodedDefinitions = DecodedJSONCache<WorkflowDefinitionDocument>()

    public init(
        store: any GatewayStore, executors: [any StepExecutor] = WorkflowEngine.defaultExecutors(), logger: Logger,
        clock: @escaping @Sendable () -> Date = { Date() }, leaseDuration: TimeInterval = 300,
        waitRecheckInterval: TimeInterval = 5
    ) {
        self.store = store
        self.executorsByType = Dictionary(executors.map { ($0.stepType, $0) }) { first, _ in first }
        self.logger = logger
        self.clock = clock
        self.leaseDuration = leaseDuration
        self.waitRecheckInterval = waitRecheckInterval
    }

    /// Returns the executors of the built-in step types other than Approval, which the engine runs itself.
    public static func defaultExecutors() -> [any StepExecutor] {
        BuiltInSteps.executors()
    }

    public var executors: [any StepExecutor] {
        Array(executorsByType.values)
    }

    func now() -> Date {
        clock().storePrecision
    }

    /// Finds the request for `identity` or creates it, and returns its status.
    ///
    /// A retry of a pending request is one indexed read. A request that ended Rejected,
    /// Aborted, Failed or Finalized is returned as it is, so polling with the same CSR never
    /// opens a new request. A new request fans out to every published definition whose events
    /// include the identity's protocol and operation and whose scopes match (a definition
    /// without scopes matches everywhere), and runs their synchronous steps. `facts` is
    /// evaluated only for a new request, so a poll does not format the CSR's names.
    ///
    /// With `issuer`, a new request that its workflows pass at once gets its certificate in the
    /// same transaction: `issuer` signs it for the request id, the certificate is stored and the
    /// request finalized before anyone else can see the request. That spares an enrollment without
    /// approval a second write transaction. The CA signs while the write lock is held, so leave
    /// `issuer` out when making the certificate is slow (such as generating a key first).
    public func submitEnrollment(
        _ identity: EnrollmentIdentity, facts makeFacts: @autoclosure () throws -> EnrollmentFacts, csrDER: [UInt8],
        issuer: ((_ requestID: String) throws -> IssuedCertificateRecord)? = nil
    ) throws -> EnrollmentStatus {
        if let existing = try store.read({ try existingStatus(identity, session: $0) }) {
            return existing
        }

        let facts = try makeFacts()
        do {
            return try store.transaction { try createOrFind(identity, facts: facts, csrDER: csrDER, issuer: issuer, session: $0) }
        } catch StoreError.uniqueConstraint {
            // Another gateway process inserted the same open request first; its row decides.
            return try store.transaction { try createOrFind(identity, facts: facts, csrDER: csrDER, issuer: issuer, session: $0) }
        }
    }

    /// Stores `certificate` for the request and finalizes the request as Finalized, in one
    /// transaction. When the request already has a certificate nothing changes and the stored
    /// one is returned, so a certificate is recorded at most once per request.
    ///
    /// - Throws: `WorkflowError.requestNotApproved` unless the request is Approved or Passed.
    public func recordIssuedCertificate(requestID: String, certificate: IssuedCertificateRecord) throws
        -> EnrollmentStatus
    {
        try store.transaction { session in
            var request = try enrollmentRequest(requestID, session: session)
            if let stored = try session.issuedCertificate(requestID: request.id) {
                return try status(of: request, created: false, session: session, certificate: stored)
            }
            return try record(certificate, for: &request, created: false, session: session)
        }
    }

    /// Stores `certificate` for the Approved or Passed `request`, finalizes the request and
    /// audits both, in the caller's transaction.
    private func record(
        _ certificate: IssuedCertificateRecord, for request: inout EnrollmentRequestRecord, created: Bool,
        session: any StoreSession
    ) throws -> EnrollmentStatus {
        let state = State(rawValue: request.aggregatedState) ?? .failed
        guard !request.finalized, state.allowsIssuance else {
            throw WorkflowError.requestNotApproved(requestID: request.id, state: request.aggregatedState)
        }
        let firstForDevice = try request.deviceID.map { try !session.hasIssuedCertificate(deviceID: $0) } ?? false

        var record = certificate
        record.requestID = request.id
        record.deviceID = record.deviceID ?? request.deviceID
        let stored = try session.insertIssuedCertificate(record)

        let time = now()
        request.certificateID = stored.id
        try finalize(&request, state: .finalized, reason: request.reason, session: session, at: time)
        _ = try session.appendAuditEvent(AuditEventRecord(
            time: time, event: "certificate.issued", requestID: request.id, deviceID: request.deviceID,
            domainID: request.domainID, previousState: state.rawValue, newState: State.finalized.rawValue,
            details: JSONValue.object([
                "serial_number": .string(stored.serialNumber), "subject": .string(stored.subject),
            ]).jsonText))
        var status = try status(of: request, created: created, session: session, certificate: stored)
        status.issuedInThisCall = true
        status.firstCertificateForDevice = firstForDevice
        return status
    }

    /// Returns the current status of a request without changing it.
    public func enrollmentStatus(requestID: String) throws -> EnrollmentStatus {
        try store.read { session in
            try status(of: try enrollmentRequest(requestID, session: session), created: false, session: session)
        }
    }

    // MARK: Submission

    private func existingStatus(_ identity: EnrollmentIdentity, session: any StoreSession) throws -> EnrollmentStatus? {
        if let open = try session.openEnrollmentRequest(key: identity) {
            return try status(of: open, created: false, session: session)
        }
        if let latest = try session.latestEnrollmentRequest(key: identity), latest.finalized {
            return try status(of: latest, created: false, session: session)
        }
        return nil
    }

    private func createOrFind(
        _ identity: EnrollmentIdentity, facts: EnrollmentFacts, csrDER: [UInt8],
        issuer: ((_ requestID: String) throws -> IssuedCertificateRecord)?, session: any StoreSession
    ) throws -> EnrollmentStatus {
        if let existing = try existingStatus(identity, session: session) {
            return existing
        }

        let time = now()
        let request = EnrollmentRequestRecord(
            protocolName: identity.protocolName, operation: identity.operation, caID: identity.caID,
            domainID: identity.domainID, deviceID: identity.deviceID, fingerprint: identity.fingerprint,
            template: identity.template, aggregatedState: State.running.rawValue, csrDER: csrDER, createdAt: time,
            updatedAt: time)
        try session.insertEnrollmentRequest(request)
        _ = try session.appendAuditEvent(AuditEventRecord(
            time: time, event: "request.created", requestID: request.id, deviceID: request.deviceID,
            domainID: request.domainID, newState: State.running.rawValue,
            details: JSONValue.object([
                "operation": .string(identity.operation), "fingerprint": .string(identity.fingerprint),
                "template": .string(identity.template),
            ]).jsonText))

        try fanOut(
            parent: .enrollmentRequest(request.id), event: WorkflowEvent(protocol: identity.protocolName, operation: identity.operation),
            caID: identity.caID, domainID: identity.domainID, deviceID: identity.deviceID,
            payload: try self.enrollmentPayload(request: request, facts: facts), session: session, at: time)
        var recomputed = try recomputeEnrollmentRequest(request.id, session: session, at: time)
        if let issuer, !recomputed.finalized, State(rawValue: recomputed.aggregatedState)?.allowsIssuance == true {
            // When signing fails, the request is still stored as Passed without a certificate. The
            // caller then signs again in its own transaction, which reports the error.
            let certificate: IssuedCertificateRecord?
            do {
                certificate = try issuer(request.id)
            } catch {
                logger.warning(
                    "signing the certificate of a new request failed", metadata: ["request.id": request.id, "error": "\(error)"])
                certificate = nil
            }
            if let certificate {
                return try record(certificate, for: &recomputed, created: true, session: session)
            }
        }
        return try status(of: recomputed, created: true, session: session)
    }

    private func enrollmentPayload(request: EnrollmentRequestRecord, facts: EnrollmentFacts) throws -> JSONValue {
        let factsJSON = try JSONValue.parse(String(decoding: try JSONEncoder().encode(facts), as: UTF8.self))
        return factsJSON.merging([
            "requestID": .string(request.id),
            "protocol": .string(request.protocolName),
            "operation": .string(request.operation),
            "caID": .number(Double(request.caID)),
            "domainID": .number(Double(request.domainID)),
            "deviceID": request.deviceID.map { .number(Double($0)) } ?? .null,
            "fingerprint": .string(request.fingerprint),
            "template": .string(request.template),
            "csr": .string(Data(request.csrDER).base64EncodedString()),
        ])
    }

    // MARK: Status

    func enrollmentRequest(_ id: String, session: any StoreSession) throws -> EnrollmentRequestRecord {
        guard let request = try session.enrollmentRequest(id: id) else {
            throw WorkflowError.requestNotFound(id: id)
        }
        return request
    }

    func status(
        of request: EnrollmentRequestRecord, created: Bool, session: any StoreSession,
        certificate: IssuedCertificateRecord? = nil
    ) throws -> EnrollmentStatus {
        let state = State(rawValue: request.aggregatedState) ?? .failed
        var onlyAutomatic = false
        if !request.finalized && state == .awaitingApproval {
            let instanceStates = try session.instances(parent: .enrollmentRequest(request.id)).map(\.state)
            onlyAutomatic = !instanceStates.contains(State.awaitingApproval.rawValue)
        }

        var certificateDER = certificate?.der
        if certificateDER == nil, request.certificateID != nil {
            certificateDER = try session.issuedCertificate(requestID: request.id)?.der
        }
        return EnrollmentStatus(
            requestID: request.id, state: state, finalized: request.finalized, created: created,
            onlyAutomaticStepsPending: onlyAutomatic, reason: request.reason, issuedCertificateDER: certificateDER)
    }
}
