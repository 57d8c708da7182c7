import Foundation
import PKI
import Store

/// The demo gateway that `estgate serve` creates in an empty data directory. It has a demo root
/// and issuing CA, a TLS certificate for localhost and the `default` domain with Basic
/// authentication for one demo device. A published one-step manual-approval workflow is scoped
/// to that domain.
public enum DemoSetup {
    public static let caName = "demo-issuing-ca"
    public static let deviceName = "demo-device"
    public static let workflowName = "manual-approval"
    public static let credentialsFileName = "demo-device.txt"
    public static let caChainFileName = "ca-chain.pem"

    /// A definition with one Approval step for simpleenroll and simplereenroll.
    public static let manualApprovalDefinition = """
        {"events": [{"protocol": "est", "operation": "simpleenroll"}, {"protocol": "est", "operation": "simplereenroll"}],
         "steps": [{"id": "approve", "type": "Approval", "params": {}}]}
        """

    /// Creates the demo PKI under `<dataDirectory>/pki` and the demo rows in `store`, and writes
    /// the device password to `demo-device.txt` with mode 0600. The file contains the only copy
    /// of the password, because the store keeps only its scrypt hash.
    public static func create(dataDirectory: String, store: any GatewayStore, now: Date = Date()) throws {
        let pkiDirectory = dataDirectory + "/pki"
        try FileManager.default.createDirectory(atPath: pkiDirectory, withIntermediateDirectories: true)
        let pki = try DevelopmentPKI.create(inDirectory: pkiDirectory, now: now)
        let chainCopy = dataDirectory + "/" + caChainFileName
        if FileManager.default.fileExists(atPath: chainCopy) {
            try FileManager.default.removeItem(atPath: chainCopy)
        }
        try FileManager.default.copyItem(atPath: pki.caChainPath, toPath: chainCopy)

        let password = try randomPassword()
        let credentialHash = try PasswordHash.make(password)
        let profile = CertificateProfile.deviceClient

        try store.transaction { session in
            let ca = try session.insertCA(
                CARecord(
                    name: caName, certificatePath: pki.issuingCertificatePath,
                    privateKeyPath: pki.issuingKeyPath, chainPath: pki.rootCertificatePath))
            try ConfigurationApplier.ensureBuiltInProfile(session: session)
            let domain = try session.insertDomain(
                DomainRecord(
                    name: "default", caID: ca.id, authMode: .certificateOrBasic, retryAfterSeconds: 10,
                    automaticRetryAfterSeconds: 2, defaultProfile: profile.name, profiles: [profile.name]))
            _ = try session.insertDevice(
                DeviceRecord(name: deviceName, domainID: domain.id, credentialHash: credentialHash))
            let definition = try session.importDefinition(name: workflowName, definition: manualApprovalDefinition, at: now)
            try session.setPublished(definitionID: definition.id, true, at: now)
            _ = try session.addScope(WorkflowScopeRecord(definitionID: definition.id, domainID: domain.id))
        }

        try SecretFile.write(
            Array("username=\(deviceName)\npassword=\(password)\n".utf8), toPath: dataDirectory + "/" + credentialsFileName)
    }

    /// Returns 24 base64url characters carrying 143 bits from the system CSPRNG (getrandom on
    /// Linux). The first byte's top bit is cleared, so the password starts with a letter, because
    /// one that started with `-` would read as an option on a command line.
    static func randomPassword() throws -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<18).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        bytes[0] &= 0x7F
        return Base64.encode(bytes, lineLength: nil)
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
    }
}
