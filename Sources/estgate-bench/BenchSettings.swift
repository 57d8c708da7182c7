import ArgumentParsing
import ESTClient
import Foundation
import PKI

/// The validated options of one benchmark run.
struct BenchSettings: Sendable {
    var target: LoopbackTarget
    var workload: Workload
    var path: String
    var concurrency: Int
    var requests: Int
    var duration: TimeInterval
    var csrKey: KeySpec
    var pollCSRs: Int
    var serverPID: Int32?
    var json: Bool
    var client: ESTClientConfiguration

    init(_ command: ParsedCommand) throws(UsageError) {
        guard let targetText = command.value("target") else {
            throw Self.usage("missing --target HOST:PORT, for example --target 127.0.0.1:8443")
        }
        switch LoopbackTarget.parse(targetText) {
        case .success(let target):
            self.target = target
        case .failure(let error):
            throw Self.usage("invalid value \"\(targetText)\" for --target: \(error.reason)")
        }

        let workloadText = command.value("workload") ?? ""
        guard let workload = Workload(rawValue: workloadText) else {
            throw command.invalidValue(
                workloadText, for: "workload", expected: "one of \(Workload.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.workload = workload

        path = command.value("path") ?? "/"
        guard path.hasPrefix("/") else {
            throw command.invalidValue(path, for: "path", expected: "a path starting with /")
        }
        concurrency = try command.integer("concurrency", range: 1...512) ?? 1
        requests = try command.integer("requests", range: 1...100_000) ?? 1000
        duration = try command.double("duration", range: 0.1...600) ?? 10
        pollCSRs = try command.integer("poll-csrs", range: 1...1000) ?? 8
        serverPID = try command.integer("server-pid", range: 1...Int(Int32.max)).map { Int32($0) }
        json = command.flag("json")

        let keyText = command.value("csr-key") ?? ""
        switch keyText {
        case "rsa2048": csrKey = .rsa(bits: 2048)
        case "p256": csrKey = .ecdsa(.p256)
        default: throw command.invalidValue(keyText, for: "csr-key", expected: "rsa2048 or p256")
        }

        client = ESTClientConfiguration(
            host: target.host, port: target.port, tls: try Self.tlsConfiguration(command))
        client.serverName = command.value("server-name")
        client.label = command.value("label")
        client.keepAlive = command.flag("keep-alive")
        client.credentials = try Self.credentials(command)
    }

    private static func tlsConfiguration(_ command: ParsedCommand) throws(UsageError) -> TLSClientConfiguration {
        let verification: TLSClientConfiguration.ServerVerification
        switch (command.value("ca-file"), command.flag("insecure-no-verification")) {
        case (let caFile?, false):
            verification = .caFile(caFile)
        case (nil, true):
            verification = .insecureNoVerification
        case (_?, true):
            throw Self.usage("give either --ca-file or --insecure-no-verification, not both")
        case (nil, false):
            throw Self.usage("missing --ca-file (or --insecure-no-verification for a server you cannot verify)")
        }

        var identity: TLSClientConfiguration.ClientIdentity?
        switch (command.value("client-cert"), command.value("client-key")) {
        case (let certificate?, let key?):
            identity = .init(certificateChainFile: certificate, privateKeyFile: key)
        case (nil, nil):
            identity = nil
        default:
            throw Self.usage("--client-cert and --client-key must be given together")
        }
        return TLSClientConfiguration(serverVerification: verification, clientIdentity: identity)
    }

    private static func credentials(_ command: ParsedCommand) throws(UsageError) -> BasicCredentials? {
        switch (command.value("username"), command.value("password")) {
        case (let username?, let password?):
            return BasicCredentials(username: username, password: password)
        case (nil, nil):
            return nil
        default:
            throw Self.usage("--username and --password must be given together")
        }
    }

    private static func usage(_ message: String) -> UsageError {
        UsageError(code: .invalidValue, message: message, commandPath: ["estgate-bench"])
    }
}
