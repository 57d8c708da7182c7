import Foundation

/// The gateway's persistent state, behind a protocol so a PostgreSQL backend can replace SQLite
/// without changing callers.
///
/// Every call blocks on database I/O: call it from a worker thread, never from an event loop.
public protocol GatewayStore: Sendable {
    /// Runs `body` against one consistent snapshot.
    func read<T>(_ body: (any StoreSession) throws -> T) throws -> T

    /// Runs `body` as one write transaction: all of its changes commit together, or none do when
    /// it throws. Concurrent transactions are serialized.
    func transaction<T>(_ body: (any StoreSession) throws -> T) throws -> T

    /// Closes the underlying connections; the store is unusable afterwards.
    func close() throws
}

/// The typed queries and writes available inside `GatewayStore.read` and `transaction`.
///
/// Lookups by key return nil when nothing matches; updates of a missing row throw
/// `StoreError.notFound`.
public protocol StoreSession {
    // MARK: CAs, domains, profiles

    func insertCA(_ ca: CARecord) throws -> CARecord
    func updateCA(_ ca: CARecord) throws
    func ca(id: Int64) throws -> CARecord?
    func ca(named name: String) throws -> CARecord?
    func listCAs() throws -> [CARecord]

    func insertDomain(_ domain: DomainRecord) throws -> DomainRecord
    func updateDomain(_ domain: DomainRecord) throws
    func domain(id: Int64) throws -> DomainRecord?
    func domain(named name: String) throws -> DomainRecord?
    func listDomains() throws -> [DomainRecord]

    func insertProfile(_ profile: ProfileRecord) throws -> ProfileRecord
    func updateProfile(_ profile: ProfileRecord) throws
    func profile(named name: String) throws -> ProfileRecord?
    func listProfiles() throws -> [ProfileRecord]

    // MARK: Devices

    func insertDevice(_ device: DeviceRecord) throws -> DeviceRecord
    func updateDevice(_ device: DeviceRecord) throws
    func device(id: Int64) throws -> DeviceRecord?
    func device(named name: String, domainID: Int64) throws -> DeviceRecord?
    /// Devices with this serial number in any domain, oldest first.
    func devices(serialNumber: String) throws -> [DeviceRecord]
    func listDevices(domainID: Int64?) throws -> [DeviceRecord]

    // MARK: Workflow definitions and scopes

    /// Inserts `definition` as version 1 of `name`, or as the next version when `name` exists.
    /// The new version starts unpublished.
    func importDefinition(name: String, definition: String, at time: Date) throws -> WorkflowDefinitionRecord
    func definition(id: Int64) throws -> WorkflowDefinitionRecord?
    /// Every definition, newest first.
    func listDefinitions() throws -> [WorkflowDefinitionRecord]
    func publishedDefinitions() throws -> [WorkflowDefinitionRecord]
    func setPublished(definitionID: Int64, _ published: Bool, at time: Date) throws

    /// Throws `StoreError.uniqueConstraint` when the same scope already exists.
    func addScope(_ scope: WorkflowScopeRecord) throws -> WorkflowScopeRecord
    func removeScope(id: Int64) throws
    func scopes(definitionID: Int64) throws -> [WorkflowScopeRecord]

    // MARK: Enrollment and device requests

    /// Throws `StoreError.uniqueConstraint` when an open request with the same key exists.
    func insertEnrollmentRequest(_ request: EnrollmentRequestRecord) throws
    /// The unfinalized request with this key; one indexed read.
    func openEnrollmentRequest(key: EnrollmentRequestKey) throws -> EnrollmentRequestRecord?
    /// The newest request with this key, finalized or not.
    func latestEnrollmentRequest(key: EnrollmentRequestKey) throws -> EnrollmentRequestRecord?
    func enrollmentRequest(id: String) throws -> EnrollmentRequestRecord?
    /// Returns the requests whose id starts with `prefix` (case-insensitive), in id order, at
    /// most `limit`. One index range read.
    func enrollmentRequests(idPrefix prefix: String, limit: Int) throws -> [EnrollmentRequestRecord]
    /// Counts the requests whose id starts with `prefix` (case-insensitive).
    func countEnrollmentRequests(idPrefix prefix: String) throws -> Int
    /// Requests matching `filter`, newest first.
    func listEnrollmentRequests(_ filter: EnrollmentRequestFilter) throws -> [EnrollmentRequestRecord]
    func updateEnrollmentRequest(_ request: EnrollmentRequestRecord) throws

    func insertDeviceRequest(_ request: DeviceRequestRecord) throws
    func deviceRequest(id: String) throws -> DeviceRequestRecord?
    /// Returns the device requests whose id starts with `prefix` (case-insensitive), in id order,
    /// at most `limit`. One index range read.
    func deviceRequests(idPrefix prefix: String, limit: Int) throws -> [DeviceRequestRecord]
    /// Counts the device requests whose id starts with `prefix` (case-insensitive).
    func countDeviceRequests(idPrefix prefix: String) throws -> Int
    func listDeviceRequests(deviceID: Int64?) throws -> [DeviceRequestRecord]
    func updateDeviceRequest(_ request: DeviceRequestRecord) throws

    // MARK: Workflow instances and step runs

    /// Throws `StoreError.uniqueConstraint` when the definition already has an instance for
    /// this parent request.
    func insertInstance(_ instance: WorkflowInstanceRecord) throws -> WorkflowInstanceRecord
    func instance(id: Int64) throws -> WorkflowInstanceRecord?
    /// Instances of one request, oldest first.
    func instances(parent: WorkflowParent) throws -> [WorkflowInstanceRecord]
    /// Writes every mutable column of `instance` and releases any worker lease on it.
    func updateInstance(_ instance: WorkflowInstanceRecord) throws
    /// Leases up to `limit` unfinalized instances whose `nextRunAt` is due and which no other
    /// worker holds, until `leaseUntil`, and returns them.
    func claimDueInstances(now: Date, leaseUntil: Date, limit: Int) throws -> [WorkflowInstanceRecord]

    /// Appends a step run with the next run index of its instance and returns it.
    func appendStepRun(_ run: WorkflowStepRunRecord) throws -> WorkflowStepRunRecord
    /// Step runs of one instance in run order.
    func stepRuns(instanceID: Int64) throws -> [WorkflowStepRunRecord]

    // MARK: Issued certificates

    /// Throws `StoreError.uniqueConstraint` when the serial number or request already has one.
    func insertIssuedCertificate(_ certificate: IssuedCertificateRecord) throws -> IssuedCertificateRecord
    func issuedCertificate(id: Int64) throws -> IssuedCertificateRecord?
    func issuedCertificate(requestID: String) throws -> IssuedCertificateRecord?
    /// The certificate with this serial number (lowercase hex); one indexed read.
    func issuedCertificate(serialNumber: String) throws -> IssuedCertificateRecord?
    /// Returns the certificates whose serial number starts with `prefix` (case-insensitive hex),
    /// in serial order, at most `limit`. One index range read.
    func issuedCertificates(serialPrefix prefix: String, limit: Int) throws -> [IssuedCertificateRecord]
    /// Counts the certificates whose serial number starts with `prefix` (case-insensitive hex).
    func countIssuedCertificates(serialPrefix prefix: String) throws -> Int
    /// Returns whether any certificate was issued to the device, in one indexed read.
    func hasIssuedCertificate(deviceID: Int64) throws -> Bool
    /// Certificates matching `filter`, soonest expiry first.
    func listIssuedCertificates(_ filter: IssuedCertificateFilter) throws -> [IssuedCertificateRecord]

    // MARK: Audit trail

    func appendAuditEvent(_ event: AuditEventRecord) throws -> AuditEventRecord
    /// Events matching `filter` in id order.
    func auditEvents(_ filter: AuditEventFilter) throws -> [AuditEventRecord]
    /// Returns the id of the oldest of the newest `count` events that match `filter`, or nil
    /// when none match. It reads newest first and stops after `count` matches.
    func oldestAuditEventID(amongNewest count: Int, matching filter: AuditEventFilter) throws -> Int64?
    /// Returns the id of the newest event of the whole trail, or nil when it is empty.
    func newestAuditEventID() throws -> Int64?
}
