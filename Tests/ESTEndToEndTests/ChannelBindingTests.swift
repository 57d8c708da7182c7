import ESTClient
import Foundation
import PKI
import Testing
import TestSupport

/// RFC 7030 section 3.5 channel binding, driven by the project's own EST client because only a
/// client that builds the CSR after the handshake can put that connection's value in it.
@Suite("EST channel binding")
struct ChannelBindingTests {
    static let configuration = """
        {"domains": [{"name": "bound", "ca": "demo-issuing-ca", "authentication": "basic", "channelBinding": true}]}
        """

    static func client(_ gateway: EndToEndGateway, version: TLSClientConfiguration.ProtocolVersion) throws -> ESTClient {
        var tls = TLSClientConfiguration(serverVerification: .caFile(gateway.caChain))
        tls.minimumVersion = version
        tls.maximumVersion = version
        var configuration = ESTClientConfiguration(host: "127.0.0.1", port: gateway.process.port, tls: tls)
        configuration.serverName = "localhost"
        configuration.label = "bound"
        configuration.credentials = BasicCredentials(username: "bolt-1", password: "bolt-secret")
        return try ESTClient(configuration: configuration)
    }

    static func makeGateway() throws -> EndToEndGateway {
        let gateway = try EndToEndGateway(configuration: configuration)
        let added = try gateway.estgate(["devices", "add", "bolt-1", "--domain", "bound", "--password-stdin"], input: "bolt-secret\n")
        #expect(added.exitCode == 0, "\(added.errorOutput)")
        return gateway
    }

    @Test("binding accepted on TLS 1.2 and 1.3", arguments: [TLSClientConfiguration.ProtocolVersion.tls12, .tls13])
    func bindingAccepted(version: TLSClientConfiguration.ProtocolVersion) throws {
        let gateway = try Self.makeGateway()
        let key = try PrivateKey.generate(.ecdsa(.p256))
        let client = try Self.client(gateway, version: version)

        let result = try client.simpleEnroll { connection in
            let binding = try connection.channelBinding()
            return try CertificateSigningRequest.create(
                subject: DistinguishedName(parsing: "CN=bolt-1"),
                challengePassword: Base64.encode(binding, lineLength: nil), signingKey: key)
        }
        guard case .issued(let certificate) = result else {
            Issue.record("expected a certificate, got \(result)")
            return
        }
        #expect(certificate.subject.commonName == "bolt-1")
        #expect(try certificate.publicKey == key.publicKey)
    }

    @Test("missing or stale binding rejected")
    func bindingRejected() throws {
        let gateway = try Self.makeGateway()
        let key = try PrivateKey.generate(.ecdsa(.p256))
        let client = try Self.client(gateway, version: .tls13)

        let withoutBinding = try CertificateSigningRequest.create(subject: DistinguishedName(parsing: "CN=bolt-1"), signingKey: key)
        let missing = try client.simpleEnroll(csr: withoutBinding)
        guard case .rejected(let status, let message) = missing else {
            Issue.record("expected a rejection, got \(missing)")
            return
        }
        #expect(status == 403)
        #expect(message == "domain bound requires the CSR challengePassword to carry the tls-exporter channel binding; it has none")

        // A binding from an earlier connection does not match the next one.
        var earlierBinding: [UInt8] = []
        _ = try client.simpleEnroll { connection in
            earlierBinding = try connection.channelBinding()
            return withoutBinding
        }
        let stale = try CertificateSigningRequest.create(
            subject: DistinguishedName(parsing: "CN=bolt-1"),
            challengePassword: Base64.encode(earlierBinding, lineLength: nil), signingKey: key)
        let replayed = try client.simpleEnroll(csr: stale)
        guard case .rejected(let staleStatus, let staleMessage) = replayed else {
            Issue.record("expected a rejection, got \(replayed)")
            return
        }
        #expect(staleStatus == 403)
        #expect(staleMessage == "the CSR challengePassword does not match this connection's tls-exporter channel binding")
    }

    @Test("pending request resent on a new connection is checked again")
    func pendingResent() throws {
        let gateway = try Self.makeGateway()
        let scoped = try gateway.estgate(["workflows", "scope", "add", "manual-approval", "--domain", "bound"])
        #expect(scoped.exitCode == 0, "\(scoped.errorOutput)")
        let key = try PrivateKey.generate(.ecdsa(.p256))
        let client = try Self.client(gateway, version: .tls13)

        var bound: CertificateSigningRequest?
        let first = try client.simpleEnroll { connection in
            let csr = try CertificateSigningRequest.create(
                subject: DistinguishedName(parsing: "CN=bolt-1"),
                challengePassword: Base64.encode(try connection.channelBinding(), lineLength: nil), signingKey: key)
            bound = csr
            return csr
        }
        guard case .pending = first, let bound else {
            Issue.record("expected 202, got \(first)")
            return
        }

        // The same bytes carry the first connection's binding, which this one does not have.
        let resent = try client.simpleEnroll(csr: bound)
        guard case .rejected(let status, let message) = resent else {
            Issue.record("expected a rejection, got \(resent)")
            return
        }
        #expect(status == 403)
        #expect(message == "the CSR challengePassword does not match this connection's tls-exporter channel binding")
    }
}
