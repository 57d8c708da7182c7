import Foundation
import Store

extension WorkflowEngine {
    enum Decision: String {
        case approve
        case reject
    }

    /// Approves every instance of the request that is awaiting approval.
    ///
    /// - Throws: `WorkflowError.requestNotAwaitingApproval` when none is, and
    ///   `WorkflowError.duplicateApproval` when `actor` already approved one of those steps.
    public func approve(requestID: String, actor: String, comment: String?) throws -> EnrollmentStatus {
        try decide(requestID: requestID, decision: .approve, actor: actor, comment: comment)
    }

    /// Rejects every instance of the request that is awaiting approval.
    public func reject(requestID: String, actor: String, comment: String?) throws -> EnrollmentStatus {
        try decide(requestID: requestID, decision: .reject, actor: actor, comment: comment)
    }

    /// Approves every instance of the device request that is awaiting approval.
    ///
    /// - Throws: as `approve(requestID:actor:comment:)`, and `WorkflowError.requestNotFound`.
    public func approve(deviceRequestID: String, actor: String, comment: String?) throws -> DeviceRequestStatus {
        try decide(deviceRequestID: deviceRequestID, decision: .approve, actor: actor, comment: comment)
    }

    /// Rejects every instance of the device request that is awaiting approval.
    public func reject(deviceRequestID: String, actor: String, comment: String?) throws -> DeviceRequestStatus {
        try decide(deviceRequestID: deviceRequestID, decision: .reject, actor: actor, comment: comment)
    }

    /// Approves one instance, which must be awaiting approval; its request may be an enrollment
    /// or a device request.
    @discardableResult
    public func approve(instanceID: Int64, actor: String, comment: String?) throws -> WorkflowInstanceRecord {
        try decide(instanceID: instanceID, decision: .approve, actor: actor, comment: comment)
    }

    @discardableResult
    public func reject(instanceID: Int64, actor: String, comment: String?) throws -> WorkflowInstanceRecord {
        try decide(instanceID: instanceID, decision: .reject, actor: actor, comment: comment)
    }

    /// Sets the request and each of its unfinalized instances to Aborted. A finalized request is
    /// returned unchanged.
    public func abort(requestID: String, actor: String, comment: String?) throws -> EnrollmentStatus {
        try store.transaction { session in
            var request = try enrollmentRequest(requestID, session: session)
            guard !request.finalized else {
                return try status(of: request, created: false, session: session)
            }

            let time = now()
            let previous = request.aggregatedState
            try finalize(&request, state: .aborted, reason: comment ?? "aborted by \(actor)", session: session, at: time)
            _ = try session.appendAuditEvent(AuditEventRecord(
                time: time, event: "request.aborted", requestID: request.id, deviceID: request.deviceID,
                domainID: request.domainID, actor: actor, comment: comment, previousState: previous,
                newState: request.aggregatedState))
            return try status(of: request, created: false, session: session)
        }
    }

    private func decide(requestID: String, decision: Decision, actor: String, comment: String?) throws -> EnrollmentStatus {
        try store.transaction { session in
            let request = try enrollmentRequest(requestID, session: session)
            try signalWaiting(
                .enrollmentRequest(request.id), state: request.aggregatedState, decision: decision, actor: actor,
                comment: comment, session: session)
            return try status(of: try enrollmentRequest(request.id, session: session), created: false, session: session)
        }
    }

    private func decide(deviceRequestID: String, decision: Decision, actor: String, comment: String?) throws
        -> DeviceRequestStatus
    {
        try store.transaction { session in
            guard let request = try session.deviceRequest(id: deviceRequestID) else {
                throw WorkflowError.requestNotFound(id: deviceRequestID)
            }
            try signalWaiting(
                .deviceRequest(request.id), state: request.aggregatedState, decision: decision, actor: actor,
                comment: comment, session: session)
            let decided = try session.deviceRequest(id: request.id) ?? request
            return DeviceRequestStatus(
                requestID: decided.id, state: State(rawValue: decided.aggregatedState) ?? .failed, finalized: decided.finalized)
        }
    }

    /// Signals every instance of `parent` that is awaiting approval, in the caller's transaction.
    private func signalWaiting(
        _ parent: WorkflowParent, state: String, decision: Decision, actor: String, comment: String?,
        session: any StoreSession
    ) throws {
        let waiting = try session.instances(parent: parent).filter {
            !$0.finalized && $0.state == State.awaitingApproval.rawValue
        }
        guard !waiting.isEmpty else {
            throw WorkflowError.requestNotAwaitingApproval(requestID: parent.requestID, state: state)
        }

        let time = now()
        for record in waiting {
            try signal(record, decision: decision, actor: actor, comment: comment, session: session, at: time)
        }
    }

    private func decide(instanceID: Int64, decision: Decision, actor: String, comment: String?) throws
        -> WorkflowInstanceRecord
    {
        try store.transaction { session in
            guard let record = try session.instance(id: instanceID) else {
                throw WorkflowError.instanceNotFound(id: instanceID)
            }
            return try signal(record, decision: decision, actor: actor, comment: comment, session: session, at: now())
        }
    }

    /// Applies one decision to one instance, runs the steps that follow, recomputes the parent
    /// request and writes the audit row with both request states.
    @discardableResult
    private func signal(
        _ record: WorkflowInstanceRecord, decision: Decision, actor: String, comment: String?,
        session: any StoreSession, at time: Date
    ) throws -> WorkflowInstanceRecord {
        guard !record.finalized, record.state == State.awaitingApproval.rawValue else {
            throw WorkflowError.instanceNotAwaitingApproval(
                instanceID: record.id, state: record.state, finalized: record.finalized)
        }
        var instance = try loadInstance(record, session: session)
        let step = try instance.currentStep()
        let previous = try parentFields(record.parent, session: session).state

        var contexts = try StepContexts(text: instance.record.stepContexts)
        let outcome: StepOutcome?
        switch decision {
        case .reject:
            outcome = .reject(reason: comment ?? "rejected by \(actor)", context: ["actor": .string(actor)])
        case .approve:
            guard !contexts.approvers(of: step.id).contains(actor) else {
                throw WorkflowError.duplicateApproval(instanceID: instance.id, stepID: step.id, actor: actor)
            }
            contexts.addApproval(of: step.id, actor: actor, comment: comment, at: time)
            instance.record.stepContexts = contexts.text
            let approvers = contexts.approvers(of: step.id)
            let required = ApprovalStep.requiredApprovals(params: step.params)
            outcome = approvers.count >= required
                ? .approve(reason: nil, context: ["approvers": .array(approvers.map { .string($0) })]) : nil
        }

        if let outcome {
            instance.record.state = State.running.rawValue
            try apply(outcome, of: step, to: &instance, session: session, at: time, actor: actor, comment: comment)
            try advance(&instance, session: session, at: time)
        } else {
            instance.record.updatedAt = time
            try recordStepRun(step, of: instance, session: session, at: time, actor: actor, comment: comment)
        }
        try session.updateInstance(instance.record)
        try recompute(record.parent, session: session, at: time)

        let parent = try parentFields(record.parent, session: session)
        _ = try session.appendAuditEvent(AuditEventRecord(
            time: time, event: "request.decided", requestID: record.parent.requestID, deviceID: parent.deviceID,
            domainID: parent.domainID, actor: actor, comment: comment, previousState: previous, newState: parent.state,
            details: JSONValue.object([
                "decision": .string(decision.rawValue), "instance_id": .number(Double(record.id)),
                "step_id": .string(step.id), "instance_state": .string(instance.record.state),
            ]).jsonText))
        return instance.record
    }

    /// Reads the device id, domain id and aggregate state of `parent`, which its audit events carry,
    /// in one read. All three are nil when the request is gone.
    func parentFields(_ parent: WorkflowParent, session: any StoreSession) throws
        -> (deviceID: Int64?, domainID: Int64?, state: String?)
    {
        switch parent {
        case .enrollmentRequest(let id):
            let request = try session.enrollmentRequest(id: id)
            return (request?.deviceID, request?.domainID, request?.aggregatedState)
        case .deviceRequest(let id):
            let request = try session.deviceRequest(id: id)
            return (request?.deviceID, request?.domainID, request?.aggregatedState)
        }
    }
}
