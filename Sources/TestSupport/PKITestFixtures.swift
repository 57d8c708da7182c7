import Foundation

/// Paths and contents of the checked-in PKI test vectors under `fixtures/` and `certs/`.
public enum PKITestFixtures {
    /// The package root, found from this file's location (Sources/TestSupport/).
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()

    public static func csrPath(_ name: String) -> String {
        packageRoot.appendingPathComponent("fixtures/csr/\(name)").path
    }

    public static func csrBytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: csrPath(name))))
    }

    public static func csrText(_ name: String) throws -> String {
        String(decoding: try csrBytes(name), as: UTF8.self)
    }

    /// The key types of the CSR fixtures, as in their file names.
    public static let csrKeyTypes = ["rsa2048", "rsa3072", "rsa4096", "rsa-pss", "p256", "p384", "p521", "ed25519"]
}
