/// A state as shown in a listing: a label and the Bootstrap badge class that colours it.
public struct StatusBadge: Sendable, Hashable {
    public var label: String
    public var cssClass: String

    public init(label: String, cssClass: String) {
        self.label = label
        self.cssClass = cssClass
    }

    /// The class for a string that is not a known state: "light", so it differs from
    /// Finalized's "secondary".
    public static let neutralClass = "light"

    static let byLowercasedState: [String: StatusBadge] = [
        "running": StatusBadge(label: "Running", cssClass: "primary"),
        "awaitingapproval": StatusBadge(label: "Awaiting approval", cssClass: "warning"),
        "approved": StatusBadge(label: "Approved", cssClass: "success"),
        "passed": StatusBadge(label: "Passed", cssClass: "success"),
        "finalized": StatusBadge(label: "Finalized", cssClass: "secondary"),
        "rejected": StatusBadge(label: "Rejected", cssClass: "danger"),
        "failed": StatusBadge(label: "Failed", cssClass: "danger"),
        "aborted": StatusBadge(label: "Aborted", cssClass: "dark"),
    ]
}

/// Returns the badge for a stored state string, matched case-insensitively.
///
/// nil gives "Unknown"; a string that is not a state keeps its own text with the neutral class.
public func statusBadge(for raw: String?) -> StatusBadge {
    guard let raw else {
        return StatusBadge(label: "Unknown", cssClass: StatusBadge.neutralClass)
    }
    return StatusBadge.byLowercasedState[raw.lowercased()] ?? StatusBadge(label: raw, cssClass: StatusBadge.neutralClass)
}
