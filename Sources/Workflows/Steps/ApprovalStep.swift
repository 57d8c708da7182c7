/// The manual `Approval` step: the instance waits in AwaitingApproval until administrators
/// decide. The engine runs it itself, so this type only validates and reads its params.
///
/// params: `{"required_approvals": N}`, optional, a positive integer (default 1) counting
/// approvals by distinct approvers.
public enum ApprovalStep {
    public static let stepType = "Approval"

    public static func validate(params: JSONValue, stepID: String) -> [DefinitionError] {
        var reader = StepParamsReader(params: params, stepID: stepID, allowedKeys: ["required_approvals"])
        _ = reader.integer("required_approvals", in: 1...1_000)
        return reader.errors
    }

    /// Returns the number of distinct approvers needed, 1 when the params leave it out.
    public static func requiredApprovals(params: JSONValue) -> Int {
        max(1, params["required_approvals"]?.intValue ?? 1)
    }
}
