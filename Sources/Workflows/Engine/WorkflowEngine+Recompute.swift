import Foundation
import Store

extension WorkflowEngine {
    /// Folds the instance states into the request's aggregated state and stores it. A request
    /// that becomes Rejected, Failed or Aborted is finalized, which ends its other instances too.
    /// An Approved or Passed request stays open until its certificate is recorded.
    @discardableResult
    func recomputeEnrollmentRequest(_ id: String, session: any StoreSession, at time: Date) throws
        -> EnrollmentRequestRecord
    {
        var request = try enrollmentRequest(id, session: session)
        guard !request.finalized else {
            return request
        }

        let instances = try session.instances(parent: .enrollmentRequest(id))
        let state = RequestAggregation.enrollmentRequestState(instances.map { State(rawValue: $0.state) ?? .failed })
        let previous = request.aggregatedState
        let reason = try decisiveReason(instances, state: state)

        if [.rejected, .failed, .aborted].contains(state) {
            try finalize(&request, state: state, reason: reason, session: session, at: time)
        } else if previous != state.rawValue {
            request.aggregatedState = state.rawValue
            request.updatedAt = time
            try session.updateEnrollmentRequest(request)
        }

        if previous != request.aggregatedState {
            _ = try session.appendAuditEvent(AuditEventRecord(
                time: time, event: "request.state_changed", requestID: request.id, deviceID: request.deviceID,
                domainID: request.domainID, previousState: previous, newState: request.aggregatedState,
                details: JSONValue.object(["reason": request.reason.map { .string($0) } ?? .null]).jsonText))
        }
        return request
    }

    /// Sets `state` on the request, marks it finalized and ends each unfinalized instance in the
    /// same state, so no instance of a finished request keeps waiting.
    func finalize(
        _ request: inout EnrollmentRequestRecord, state: State, reason: String?, session: any StoreSession, at time: Date
    ) throws {
        for record in try session.instances(parent: .enrollmentRequest(request.id)) where !record.finalized {
            var instance = try loadInstance(record, session: session)
            try end(&instance, state: state, reason: nil, at: time)
            try session.updateInstance(instance.record)
        }

        request.aggregatedState = state.rawValue
        request.finalized = true
        request.reason = reason
        request.updatedAt = time
        try session.updateEnrollmentRequest(request)
    }

    /// Folds the instance states into the device request's state; the request is finalized once
    /// every instance has ended.
    @discardableResult
    func recomputeDeviceRequest(_ id: String, session: any StoreSession, at time: Date) throws -> DeviceRequestRecord {
        guard var request = try session.deviceRequest(id: id) else {
            throw WorkflowError.requestNotFound(id: id)
        }
        let instances = try session.instances(parent: .deviceRequest(id))
        let state = RequestAggregation.deviceRequestState(instances.map { State(rawValue: $0.state) ?? .failed })
        let finalized = instances.allSatisfy(\.finalized)
        guard state.rawValue != request.aggregatedState || finalized != request.finalized else {
            return request
        }

        let previous = request.aggregatedState
        request.aggregatedState = state.rawValue
        request.finalized = finalized
        request.updatedAt = time
        try session.updateDeviceRequest(request)
        _ = try session.appendAuditEvent(AuditEventRecord(
            time: time, event: "device_request.state_changed", requestID: request.id, deviceID: request.deviceID,
            domainID: request.domainID, previousState: previous, newState: state.rawValue))
        return request
    }

    /// Returns the reason stored by the first instance that ended in `state`.
    private func decisiveReason(_ instances: [WorkflowInstanceRecord], state: State) throws -> String? {
        for instance in instances where instance.state == state.rawValue {
            if let reason = try StepContexts(text: instance.stepContexts).reason {
                return reason
            }
        }
        return nil
    }

    /// Recomputes whichever request `parent` names.
    func recompute(_ parent: WorkflowParent, session: any StoreSession, at time: Date) throws {
        switch parent {
        case .enrollmentRequest(let id):
            try recomputeEnrollmentRequest(id, session: session, at: time)
        case .deviceRequest(let id):
            try recomputeDeviceRequest(id, session: session, at: time)
        }
    }
}
