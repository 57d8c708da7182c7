import Testing
import Workflows

@Suite("Status badges")
struct StatusBadgeTests {
    @Test("state strings exact")
    func stateStrings() {
        #expect(State.allCases.map(\.rawValue) == [
            "Running", "AwaitingApproval", "Approved", "Passed", "Finalized", "Rejected", "Failed", "Aborted",
        ])
    }

    @Test("badge for every state")
    func badgeForEveryState() {
        let expected: [(String, String, String)] = [
            ("Running", "Running", "primary"),
            ("AwaitingApproval", "Awaiting approval", "warning"),
            ("Approved", "Approved", "success"),
            ("Passed", "Passed", "success"),
            ("Finalized", "Finalized", "secondary"),
            ("Rejected", "Rejected", "danger"),
            ("Failed", "Failed", "danger"),
            ("Aborted", "Aborted", "dark"),
        ]

        for (raw, label, cssClass) in expected {
            #expect(statusBadge(for: raw) == StatusBadge(label: label, cssClass: cssClass), "\(raw)")
        }
    }

    @Test("badge lookup ignores case")
    func badgeIgnoresCase() {
        #expect(statusBadge(for: "awaitingapproval") == StatusBadge(label: "Awaiting approval", cssClass: "warning"))
        #expect(statusBadge(for: "REJECTED") == StatusBadge(label: "Rejected", cssClass: "danger"))
    }

    @Test("badge for nil and unknown")
    func badgeForNilAndUnknown() {
        #expect(statusBadge(for: nil) == StatusBadge(label: "Unknown", cssClass: "light"))
        #expect(statusBadge(for: "Paused") == StatusBadge(label: "Paused", cssClass: "light"))
    }

    @Test("terminal states")
    func terminalStates() {
        #expect(State.allCases.filter { !$0.isTerminal } == [.running, .awaitingApproval])
        #expect(State.allCases.filter(\.allowsIssuance) == [.approved, .passed])
    }
}
