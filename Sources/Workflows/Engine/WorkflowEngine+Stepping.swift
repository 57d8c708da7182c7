import Foundation
import Store

extension WorkflowEngine {
    /// Runs synchronous steps from the current one until the instance waits (AwaitingApproval at
    /// an Approval step, or Running with a due time at a background step) or ends.
    func advance(_ instance: inout WorkflowInstance, session: any StoreSession, at time: Date) throws {
        for _ in 0..<Self.maximumStepsPerAdvance {
            guard instance.state == .running, !instance.record.finalized, instance.record.nextRunAt == nil else {
                return
            }
            guard let step = try? instance.currentStep() else {
                try end(&instance, state: .failed, reason: "current step \"\(instance.record.currentStep ?? "")\" is not in the definition", at: time)
                return
            }
            if step.type == ApprovalStep.stepType {
                instance.record.state = State.awaitingApproval.rawValue
                instance.record.updatedAt = time
                return
            }
            guard let executor = executorsByType[step.type] else {
                try end(&instance, state: .failed, reason: "no executor for step type \"\(step.type)\"", at: time)
                return
            }
            if executor.runsInBackground {
                instance.record.nextRunAt = time
                instance.record.updatedAt = time
                return
            }

            let outcome = executor.execute(step, context: try executionContext(instance, step: step, at: time))
            try apply(outcome, of: step, to: &instance, session: session, at: time)
        }
        try end(
            &instance, state: .failed,
            reason: "more than \(Self.maximumStepsPerAdvance) steps ran without waiting; check the transitions for a loop",
            at: time)
    }

    func executionContext(_ instance: WorkflowInstance, step: WorkflowStep, at time: Date) throws -> StepExecutionContext {
        let contexts = try StepContexts(text: instance.record.stepContexts)
        return StepExecutionContext(
            instanceID: String(instance.id), requestID: instance.record.parent.requestID, payload: try JSONValue.parse(instance.record.payload),
            variables: contexts.variables, attempt: contexts.attempt(of: step.id),
            instanceCreatedAt: instance.record.createdAt, now: time)
    }

    /// Records what `step` produced, appends its step run and moves the instance on.
    func apply(
        _ outcome: StepOutcome, of step: WorkflowStep, to instance: inout WorkflowInstance, session: any StoreSession,
        at time: Date, actor: String? = nil, comment: String? = nil
    ) throws {
        var contexts = try StepContexts(text: instance.record.stepContexts)
        contexts.record(outcome.context, for: step.id)
        instance.record.stepContexts = contexts.text

        switch outcome {
        case .pass:
            let nextStep = try instance.nextStepID()
            try follow(step.target(for: .pass) ?? nextStep, endState: .passed, in: &instance, at: time)
        case .approve(let reason, _):
            // Approval on an Approval step that is not the last one passes to the next step.
            let isLastApproval = try instance.isLastApprovalStep()
            let passesOn = step.type == ApprovalStep.stepType && !isLastApproval
            let defaultTarget = passesOn ? try instance.nextStepID() : WorkflowStep.end
            try follow(step.target(for: .approve) ?? defaultTarget, endState: .approved, in: &instance, at: time, reason: reason)
        case .reject(let reason, _):
            try follow(step.target(for: .reject) ?? WorkflowStep.end, endState: .rejected, in: &instance, at: time, reason: reason)
        case .fail(let reason, _):
            try follow(step.target(for: .fail) ?? WorkflowStep.end, endState: .failed, in: &instance, at: time, reason: reason)
        case .abort(let reason, _):
            try end(&instance, state: .aborted, reason: reason, at: time)
        case .retry(let after, _, _):
            var retried = try StepContexts(text: instance.record.stepContexts)
            retried.setAttempt(retried.attempt(of: step.id) + 1, of: step.id)
            instance.record.stepContexts = retried.text
            instance.record.nextRunAt = time.addingTimeInterval(max(0, after)).storePrecision
            instance.record.updatedAt = time
        case .wait:
            instance.record.nextRunAt = time.addingTimeInterval(waitRecheckInterval).storePrecision
            instance.record.updatedAt = time
        }

        try recordStepRun(
            step, of: instance, session: session, at: time, actor: actor, comment: comment,
            stepState: Self.stepState(of: outcome))
    }

    /// The state a step run records: the step's own result, so a Condition that passed reads
    /// Passed even though its instance goes on Running.
    static func stepState(of outcome: StepOutcome) -> State {
        switch outcome {
        case .pass: .passed
        case .approve: .approved
        case .reject: .rejected
        case .fail: .failed
        case .abort: .aborted
        case .retry, .wait: .running
        }
    }

    /// Appends the step run and its audit event; `stepState` defaults to the instance's state.
    func recordStepRun(
        _ step: WorkflowStep, of instance: WorkflowInstance, session: any StoreSession, at time: Date, actor: String?,
        comment: String?, stepState: State? = nil
    ) throws {
        let state = stepState?.rawValue ?? instance.record.state
        let contexts = try StepContexts(text: instance.record.stepContexts)
        let context = contexts.members[step.id] ?? .object([:])
        _ = try session.appendStepRun(WorkflowStepRunRecord(
            instanceID: instance.id, stepID: step.id, stepType: step.type, state: state,
            context: context.jsonText, actor: actor, comment: comment, createdAt: time))

        let parent = try parentFields(instance.record.parent, session: session)
        _ = try session.appendAuditEvent(AuditEventRecord(
            time: time, event: "step.ran", requestID: instance.record.parent.requestID, deviceID: parent.deviceID,
            domainID: parent.domainID, actor: actor, comment: comment, newState: state,
            details: JSONValue.object([
                "instance_id": .number(Double(instance.id)), "step_id": .string(step.id), "step_type": .string(step.type),
                "reason": contexts.reason.map { .string($0) } ?? .null,
            ]).jsonText))
    }

    /// Moves to `target`: nil or `end` ends the instance in `endState`, a step id continues there.
    private func follow(
        _ target: String?, endState: State, in instance: inout WorkflowInstance, at time: Date, reason: String? = nil
    ) throws {
        guard let target, target != WorkflowStep.end else {
            try end(&instance, state: endState, reason: reason, at: time)
            return
        }
        guard instance.steps.contains(where: { $0.id == target }) else {
            try end(&instance, state: .failed, reason: "transition to unknown step \"\(target)\"", at: time)
            return
        }
        instance.record.currentStep = target
        instance.record.state = State.running.rawValue
        instance.record.nextRunAt = nil
        instance.record.updatedAt = time
    }

    /// Ends the instance in a terminal `state`; it can no longer run or receive decisions.
    func end(_ instance: inout WorkflowInstance, state: State, reason: String?, at time: Date) throws {
        var contexts = try StepContexts(text: instance.record.stepContexts)
        if let reason {
            contexts.setReason(reason)
        }
        instance.record.stepContexts = contexts.text
        instance.record.state = state.rawValue
        instance.record.finalized = true
        instance.record.nextRunAt = nil
        instance.record.updatedAt = time
    }
}
