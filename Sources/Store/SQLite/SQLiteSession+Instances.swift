import Foundation

extension SQLiteSession {
    func insertInstance(_ instance: WorkflowInstanceRecord) throws -> WorkflowInstanceRecord {
        let (enrollmentRequestID, deviceRequestID) = parentColumns(instance.parent)
        var stored = instance
        stored.createdAt = stored.createdAt.storePrecision
        stored.updatedAt = stored.updatedAt.storePrecision
        stored.nextRunAt = stored.nextRunAt?.storePrecision
        stored.id = try insert(
            """
            INSERT INTO workflow_instances (definition_id, enrollment_request_id, device_request_id, current_step, state,
                payload, step_contexts, finalized, next_run_at, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [.integer(instance.definitionID), enrollmentRequestID, deviceRequestID, SQLiteValue(instance.currentStep),
             .text(instance.state), .text(instance.payload), .text(instance.stepContexts),
             SQLiteValue(instance.finalized), SQLiteValue(instance.nextRunAt), SQLiteValue(instance.createdAt),
             SQLiteValue(instance.updatedAt)],
            operation: "inserting an instance of workflow \(instance.definitionID)")
        return stored
    }

    func instance(id: Int64) throws -> WorkflowInstanceRecord? {
        try rows(
            "SELECT * FROM workflow_instances WHERE id = ?", [.integer(id)], operation: "reading workflow instance \(id)"
        ).first.map(WorkflowInstanceRecord.init(row:))
    }

    func instances(parent: WorkflowParent) throws -> [WorkflowInstanceRecord] {
        switch parent {
        case .enrollmentRequest(let id):
            return try rows(
                "SELECT * FROM workflow_instances WHERE enrollment_request_id = ? ORDER BY id", [.text(id)],
                operation: "listing instances of enrollment request \(id)"
            ).map(WorkflowInstanceRecord.init(row:))
        case .deviceRequest(let id):
            return try rows(
                "SELECT * FROM workflow_instances WHERE device_request_id = ? ORDER BY id", [.text(id)],
                operation: "listing instances of device request \(id)"
            ).map(WorkflowInstanceRecord.init(row:))
        }
    }

    func updateInstance(_ instance: WorkflowInstanceRecord) throws {
        try updateOne(
            """
            UPDATE workflow_instances SET current_step = ?, state = ?, step_contexts = ?, finalized = ?,
                next_run_at = ?, lease_until = NULL, updated_at = ?
            WHERE id = ?
            """,
            [SQLiteValue(instance.currentStep), .text(instance.state), .text(instance.stepContexts),
             SQLiteValue(instance.finalized), SQLiteValue(instance.nextRunAt), SQLiteValue(instance.updatedAt),
             .integer(instance.id)],
            entity: "workflow instance", key: String(instance.id))
    }

    func claimDueInstances(now: Date, leaseUntil: Date, limit: Int) throws -> [WorkflowInstanceRecord] {
        let due = try rows(
            """
            SELECT * FROM workflow_instances
            WHERE finalized = 0 AND next_run_at IS NOT NULL AND next_run_at <= ?
                AND (lease_until IS NULL OR lease_until < ?)
            ORDER BY next_run_at, id LIMIT ?
            """,
            [SQLiteValue(now), SQLiteValue(now), .integer(Int64(max(0, limit)))],
            operation: "reading due workflow instances"
        ).map(WorkflowInstanceRecord.init(row:))

        for instance in due {
            try connection.run(
                "UPDATE workflow_instances SET lease_until = ? WHERE id = ?",
                [SQLiteValue(leaseUntil), .integer(instance.id)], operation: "leasing workflow instance \(instance.id)")
        }
        return due
    }

    func appendStepRun(_ run: WorkflowStepRunRecord) throws -> WorkflowStepRunRecord {
        let last = try rows(
            "SELECT MAX(run_index) AS run_index FROM workflow_step_runs WHERE instance_id = ?",
            [.integer(run.instanceID)], operation: "reading the last step run of instance \(run.instanceID)")
        var stored = run
        stored.createdAt = stored.createdAt.storePrecision
        stored.runIndex = Int(try last.first?.optionalInt64("run_index") ?? 0) + 1
        stored.id = try insert(
            """
            INSERT INTO workflow_step_runs (instance_id, run_index, step_id, step_type, state, context, actor, comment,
                created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [.integer(run.instanceID), SQLiteValue(stored.runIndex), .text(run.stepID), .text(run.stepType),
             .text(run.state), .text(run.context), SQLiteValue(run.actor), SQLiteValue(run.comment),
             SQLiteValue(run.createdAt)],
            operation: "recording step \(run.stepID) of instance \(run.instanceID)")
        return stored
    }

    func stepRuns(instanceID: Int64) throws -> [WorkflowStepRunRecord] {
        try rows(
            "SELECT * FROM workflow_step_runs WHERE instance_id = ? ORDER BY run_index", [.integer(instanceID)],
            operation: "listing step runs of instance \(instanceID)"
        ).map(WorkflowStepRunRecord.init(row:))
    }

    private func parentColumns(_ parent: WorkflowParent) -> (SQLiteValue, SQLiteValue) {
        switch parent {
        case .enrollmentRequest(let id):
            return (.text(id), .null)
        case .deviceRequest(let id):
            return (.null, .text(id))
        }
    }
}

extension WorkflowInstanceRecord {
    init(row: SQLiteRow) throws {
        let row = row.reading("workflow_instances")
        let parent: WorkflowParent
        if let enrollmentRequestID = try row.optionalString("enrollment_request_id") {
            parent = .enrollmentRequest(enrollmentRequestID)
        } else {
            parent = .deviceRequest(try row.string("device_request_id"))
        }
        self.init(
            id: try row.int64("id"), definitionID: try row.int64("definition_id"), parent: parent,
            currentStep: try row.optionalString("current_step"), state: try row.string("state"),
            payload: try row.string("payload"), stepContexts: try row.string("step_contexts"),
            finalized: try row.bool("finalized"), nextRunAt: try row.optionalDate("next_run_at"),
            createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
    }
}

extension WorkflowStepRunRecord {
    init(row: SQLiteRow) throws {
        let row = row.reading("workflow_step_runs")
        self.init(
            id: try row.int64("id"), instanceID: try row.int64("instance_id"), runIndex: try row.int("run_index"),
            stepID: try row.string("step_id"), stepType: try row.string("step_type"), state: try row.string("state"),
            context: try row.string("context"), actor: try row.optionalString("actor"),
            comment: try row.optionalString("comment"), createdAt: try row.date("created_at"))
    }
}
