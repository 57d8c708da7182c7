import Admin
import ArgumentParsing
import Foundation
import PKI

/// `estgate ca init` makes a development PKI (root, issuing CA, TLS server certificate), `ca show`
/// reads certificate files and `ca list` lists the CAs in the gateway's database.
enum CACommand {
    static let spec = CommandSpec(
        name: "ca",
        abstract: "Create and inspect certificate authorities.",
        subcommands: [
            CommandSpec(
                name: "init",
                abstract: "Create a root CA, an issuing CA under it and a TLS server certificate for localhost.",
                options: [
                    .value("dir", valueName: "DIR", default: "./estgate-pki", help: "Directory the PEM files are written to; keys get mode 0600"),
                    .value("key-type", valueName: "TYPE", default: "p256", help: "Key type: rsa2048, rsa3072, rsa4096, p256, p384, p521 or ed25519"),
                ]),
            CommandSpec(
                name: "show",
                abstract: "Print the subject, issuer, serial and validity of each certificate in a PEM file.",
                arguments: [.required("file", help: "PEM file with one or more certificates")]),
            AdminCommands.caListSpec,
        ])

    static func run(_ parsed: ParsedCommand) throws -> Int32 {
        switch parsed.path.dropFirst().first {
        case "init":
            let directory = parsed.value("dir") ?? "./estgate-pki"
            let keyTypeName = parsed.value("key-type") ?? "p256"
            let keySpec: KeySpec
            do {
                keySpec = try KeySpec(parsing: keyTypeName)
            } catch {
                throw parsed.invalidValue(keyTypeName, for: "key-type", expected: "rsa2048, rsa3072, rsa4096, p256, p384, p521 or ed25519")
            }
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let pki = try DevelopmentPKI.create(inDirectory: directory, keySpec: keySpec)
            print("root CA:        \(pki.rootCertificatePath)")
            print("issuing CA:     \(pki.issuingCertificatePath)")
            print("CA chain:       \(pki.caChainPath)")
            print("TLS server:     \(pki.serverCertificatePath)")
            return 0
        case "show":
            let path = parsed.argument("file") ?? ""
            let text = try String(contentsOfFile: path, encoding: .utf8)
            for certificate in try Certificate.certificates(fromPEM: text) {
                print("subject:    \(certificate.subject.description)")
                print("issuer:     \(certificate.issuer.description)")
                print("serial:     \(certificate.serialNumberHex)")
                print("not before: \(certificate.notBefore)")
                print("not after:  \(certificate.notAfter)")
                print("")
            }
            return 0
        case "list":
            return try AdminCommands.run(parsed, dataDirectory: try EstgateCommand.dataDirectory(parsed))
        default:
            print(spec.helpText())
            return 0
        }
    }
}
