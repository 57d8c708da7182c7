import Foundation

/// Locates the workflow definition fixtures under `fixtures/workflows` in the repository.
public enum StepsFixtures {
    public static var workflowsDirectory: URL {
        // This file is Sources/TestSupport/StepsFixtures.swift, three levels below the root.
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()
            .deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("fixtures/workflows")
    }

    /// Returns the bytes of `fixtures/workflows/<name>`.
    public static func workflowDefinition(named name: String) throws -> Data {
        try Data(contentsOf: workflowsDirectory.appendingPathComponent(name))
    }
}
