import Foundation
import Store

extension WorkflowEngine {
    /// Runs the current step of up to `limit` instances whose background step is due, and
    /// returns how many it ran. Each step executes outside any transaction and its outcome is
    /// applied afterwards. When the instance moved on meanwhile, for example because an
    /// administrator aborted the request, the outcome is dropped.
    ///
    /// NOTE: a gateway that stops while a step runs leaves the lease to expire after
    /// `leaseDuration`, then the step runs again, so a webhook may be delivered more than once.
    @discardableResult
    public func runDueSteps(limit: Int = 8) -> Int {
        let claimed: [WorkflowInstanceRecord]
        do {
            let time = now()
            claimed = try store.transaction {
                try $0.claimDueInstances(now: time, leaseUntil: time.addingTimeInterval(leaseDuration), limit: limit)
            }
        } catch {
            logger.error("reading due workflow steps failed", metadata: ["error": "\(error)"])
            return 0
        }

        for record in claimed {
            do {
                try runDueStep(record)
            } catch {
                logger.error(
                    "running a background workflow step failed",
                    metadata: ["workflow.instance": String(record.id), "step": record.currentStep ?? "", "error": "\(error)"])
            }
        }
        return claimed.count
    }

    private func runDueStep(_ record: WorkflowInstanceRecord) throws {
        let instance = try store.read { try loadInstance(record, session: $0) }
        let step = try instance.currentStep()
        guard let executor = executorsByType[step.type] else {
            try store.transaction { session in
                var current = try loadInstance(record, session: session)
                try end(&current, state: .failed, reason: "no executor for step type \"\(step.type)\"", at: now())
                try session.updateInstance(current.record)
                try recompute(current.record.parent, session: session, at: now())
            }
            return
        }

        let outcome = executor.execute(step, context: try executionContext(instance, step: step, at: now()))
        logOutcome(outcome, of: step, record: record)

        try store.transaction { session in
            guard let fresh = try session.instance(id: record.id), !fresh.finalized,
                fresh.state == State.running.rawValue, fresh.currentStep == step.id
            else {
                logger.info(
                    "dropping a background step outcome for an instance that moved on",
                    metadata: ["workflow.instance": String(record.id), "step": step.id])
                return
            }
            let time = now()
            var current = try loadInstance(fresh, session: session)
            current.record.nextRunAt = nil
            try apply(outcome, of: step, to: &current, session: session, at: time)
            try advance(&current, session: session, at: time)
            try session.updateInstance(current.record)
            try recompute(current.record.parent, session: session, at: time)
        }
    }

    /// Logs a background step's outcome: retries at warning, failures at error, the rest at info.
    private func logOutcome(_ outcome: StepOutcome, of step: WorkflowStep, record: WorkflowInstanceRecord) {
        var metadata = ["workflow.instance": String(record.id), "step": step.id, "step.type": step.type]
        switch record.parent {
        case .enrollmentRequest(let id):
            metadata["request.id"] = id
        case .deviceRequest(let id):
            metadata["device_request.id"] = id
        }

        switch outcome {
        case .retry(let after, let reason, _):
            metadata["reason"] = reason
            metadata["retry_after_s"] = String(after)
            logger.warning("background workflow step will retry", metadata: metadata)
        case .fail(let reason, _):
            metadata["reason"] = reason
            logger.error("background workflow step failed", metadata: metadata)
        case .reject(let reason, _), .abort(let reason, _):
            metadata["reason"] = reason
            metadata["outcome"] = outcome.transitionName?.rawValue ?? "abort"
            logger.info("background workflow step decided", metadata: metadata)
        case .pass, .approve, .wait:
            metadata["outcome"] = outcome.transitionName?.rawValue ?? "wait"
            logger.info("background workflow step ran", metadata: metadata)
        }
    }
}
