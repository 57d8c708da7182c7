import Foundation

/// One line of the audit trail; rows are never changed or removed.
public struct AuditEventRecord: Sendable, Equatable {
    public var id: Int64
    public var time: Date
    /// Dotted event name such as `request.created`, `request.decided`, `step.ran`,
    /// `certificate.issued`, `request.aborted`, `device.created`.
    public var event: String
    /// Enrollment or device request id.
    public var requestID: String?
    public var deviceID: Int64?
    public var domainID: Int64?
    public var actor: String?
    public var comment: String?
    public var previousState: String?
    public var newState: String?
    /// JSON object with event-specific fields.
    public var details: String

    public init(
        id: Int64 = 0, time: Date = Date(), event: String, requestID: String? = nil, deviceID: Int64? = nil,
        domainID: Int64? = nil, actor: String? = nil, comment: String? = nil, previousState: String? = nil,
        newState: String? = nil, details: String = "{}"
    ) {
        self.id = id
        self.time = time
        self.event = event
        self.requestID = requestID
        self.deviceID = deviceID
        self.domainID = domainID
        self.actor = actor
        self.comment = comment
        self.previousState = previousState
        self.newState = newState
        self.details = details
    }
}

/// Filters for reading the audit trail; nil fields do not filter. Results are ordered by id.
public struct AuditEventFilter: Sendable {
    public var requestID: String?
    public var deviceID: Int64?
    public var since: Date?
    /// Only events with a larger id, which is how a reader pages through the trail: ids grow in
    /// commit order, because SQLite runs one write transaction at a time.
    public var afterID: Int64?
    public var limit: Int?

    public init(requestID: String? = nil, deviceID: Int64? = nil, since: Date? = nil, afterID: Int64? = nil, limit: Int? = nil) {
        self.requestID = requestID
        self.deviceID = deviceID
        self.since = since
        self.afterID = afterID
        self.limit = limit
    }
}
