import Foundation

/// The request a workflow instance decides: an enrollment attempt or a device event.
public enum WorkflowParent: Sendable, Hashable {
    case enrollmentRequest(String)
    case deviceRequest(String)

    /// The id of the enrollment or device request.
    public var requestID: String {
        switch self {
        case .enrollmentRequest(let id), .deviceRequest(let id): id
        }
    }
}

/// One run of a workflow definition for one request.
public struct WorkflowInstanceRecord: Sendable, Equatable {
    public var id: Int64
    public var definitionID: Int64
    public var parent: WorkflowParent
    public var currentStep: String?
    public var state: String
    /// JSON snapshot of the request facts the instance started with; never changed afterwards.
    public var payload: String
    /// JSON object: one entry per step id plus the shared `$vars` bucket.
    public var stepContexts: String
    public var finalized: Bool
    /// When the background worker should run the current step; nil when nothing is due.
    public var nextRunAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: Int64 = 0, definitionID: Int64, parent: WorkflowParent, currentStep: String?, state: String,
        payload: String = "{}", stepContexts: String = "{}", finalized: Bool = false, nextRunAt: Date? = nil,
        createdAt: Date = Date(), updatedAt: Date = Date()
    ) {
        self.id = id
        self.definitionID = definitionID
        self.parent = parent
        self.currentStep = currentStep
        self.state = state
        self.payload = payload
        self.stepContexts = stepContexts
        self.finalized = finalized
        self.nextRunAt = nextRunAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// One execution of one step; rows are never changed or removed.
public struct WorkflowStepRunRecord: Sendable, Equatable {
    public var id: Int64
    public var instanceID: Int64
    /// 1-based position of this run within the instance.
    public var runIndex: Int
    public var stepID: String
    public var stepType: String
    /// Instance state after the step ran.
    public var state: String
    /// JSON of what the step produced.
    public var context: String
    public var actor: String?
    public var comment: String?
    public var createdAt: Date

    public init(
        id: Int64 = 0, instanceID: Int64, runIndex: Int = 0, stepID: String, stepType: String, state: String,
        context: String = "{}", actor: String? = nil, comment: String? = nil, createdAt: Date = Date()
    ) {
        self.id = id
        self.instanceID = instanceID
        self.runIndex = runIndex
        self.stepID = stepID
        self.stepType = stepType
        self.state = state
        self.context = context
        self.actor = actor
        self.comment = comment
        self.createdAt = createdAt
    }
}
