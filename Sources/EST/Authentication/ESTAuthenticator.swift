import HTTPServer
import Logging
import PKI

/// Applies a domain's authentication rule (DESIGN: client certificate, HTTP Basic, either or both)
/// and finds the device behind the request.
struct ESTAuthenticator: Sendable {
    let directory: any EnrollmentDirectory
    let credentialCache = VerifiedCredentialCache()

    func authenticate(
        _ request: HTTPRequest, context: ConnectionContext, domain: DomainSettings
    ) throws -> ESTClientIdentity {
        let mode = domain.authentication
        let certificate = mode.allowsCertificate ? try verifiedClientCertificate(context: context, domain: domain) : nil
        let basicDevice = mode.allowsBasic ? try basicDevice(request, domain: domain) : nil

        switch mode {
        case .basic:
            guard let basicDevice else {
                throw ESTError.unauthorized(
                    "domain \(domain.name) requires HTTP Basic credentials", offersBasicAuthentication: true)
            }
            return ESTClientIdentity(
                device: basicDevice, clientCertificate: certificate?.certificate,
                clientCertificateIssuedByGateway: certificate?.issuedByGateway ?? false, authenticatedWithBasic: true)

        case .certificate:
            guard let certificate else {
                throw ESTError.forbidden(
                    "domain \(domain.name) requires a TLS client certificate that chains to its trust anchors")
            }
            let device = try certificateDevice(certificate, domain: domain)
            return ESTClientIdentity(
                device: device, clientCertificate: certificate.certificate,
                clientCertificateIssuedByGateway: certificate.issuedByGateway, authenticatedWithBasic: false)

        case .certificateOrBasic:
            if let basicDevice {
                return ESTClientIdentity(
                    device: basicDevice, clientCertificate: certificate?.certificate,
                    clientCertificateIssuedByGateway: certificate?.issuedByGateway ?? false,
                    authenticatedWithBasic: true)
            }
            guard let certificate else {
                throw ESTError.unauthorized(
                    "domain \(domain.name) requires a TLS client certificate or HTTP Basic credentials",
                    offersBasicAuthentication: true)
            }
            let device = try certificateDevice(certificate, domain: domain)
            return ESTClientIdentity(
                device: device, clientCertificate: certificate.certificate,
                clientCertificateIssuedByGateway: certificate.issuedByGateway, authenticatedWithBasic: false)

        case .certificateAndBasic:
            guard let certificate else {
                throw ESTError.forbidden(
                    "domain \(domain.name) requires a TLS client certificate and HTTP Basic credentials")
            }
            guard let basicDevice else {
                throw ESTError.unauthorized(
                    "domain \(domain.name) requires HTTP Basic credentials as well as the client certificate",
                    offersBasicAuthentication: true)
            }
            let certificateOwner = try certificateDevice(certificate, domain: domain)
            guard certificateOwner.id == basicDevice.id else {
                throw ESTError.forbidden("the client certificate does not belong to device \(basicDevice.name)")
            }
            return ESTClientIdentity(
                device: basicDevice, clientCertificate: certificate.certificate,
                clientCertificateIssuedByGateway: certificate.issuedByGateway, authenticatedWithBasic: true)
        }
    }

    // MARK: Client certificate

    struct VerifiedCertificate {
        var certificate: Certificate
        var issuedByGateway: Bool
        var chainsToDeviceAnchors: Bool
    }

    /// Verifies the presented chain against the gateway's CA chain and the domain's device anchors.
    /// A chain that verifies against neither is rejected; no chain at all returns nil.
    private func verifiedClientCertificate(context: ConnectionContext, domain: DomainSettings) throws
        -> VerifiedCertificate?
    {
        guard !context.peerCertificateChain.isEmpty else {
            return nil
        }

        let leaf: Certificate
        let intermediates: [Certificate]
        do {
            let chain = try Self.certificates(of: context)
            leaf = chain[0]
            intermediates = Array(chain.dropFirst())
        } catch {
            throw ESTError.badRequest("the TLS client certificate could not be parsed: \(error)")
        }

        let gatewayStore = try directory.gatewayTrustStore(for: domain)
        let deviceStore = try directory.deviceTrustStore(for: domain)

        let issuedByGateway = (try? gatewayStore.verify(leaf: leaf, intermediates: intermediates)) != nil
        var chainsToDeviceAnchors = false
        var deviceAnchorFailure: String?
        if let deviceStore {
            do {
                _ = try deviceStore.verify(leaf: leaf, intermediates: intermediates)
                chainsToDeviceAnchors = true
            } catch {
                deviceAnchorFailure = "\(error)"
            }
        }

        guard issuedByGateway || chainsToDeviceAnchors else {
            let reason =
                deviceAnchorFailure ?? "it was not issued by this gateway and the domain has no device trust anchors"
            throw ESTError.forbidden(
                "the TLS client certificate \(leaf.subject.description) is not trusted in domain \(domain.name): \(reason)"
            )
        }
        return VerifiedCertificate(
            certificate: leaf, issuedByGateway: issuedByGateway, chainsToDeviceAnchors: chainsToDeviceAnchors)
    }

    /// Returns the client's certificates, leaf first, as OpenSSL decoded them in the handshake.
    /// A chain that the context's decoded certificates do not match is parsed from its DER.
    private static func certificates(of context: ConnectionContext) throws -> [Certificate] {
        if let decoded = context.peerCertificates, decoded.derEncoded == context.peerCertificateChain {
            return zip(decoded.x509s, decoded.derEncoded).map { Certificate(sharing: $0, derEncoded: $1) }
        }
        return try context.peerCertificateChain.map { try Certificate(derEncoded: $0) }
    }

    /// Finds the device a verified certificate belongs to: the device it was issued to by the
    /// gateway, else the subject serialNumber, else the common name. Registers an unknown device
    /// when the domain allows it and the certificate chains to the device anchors.
    private func certificateDevice(_ verified: VerifiedCertificate, domain: DomainSettings) throws -> DeviceIdentity {
        let subject = verified.certificate.subject
        if verified.issuedByGateway,
            let device = try directory.device(issuedCertificateSerial: verified.certificate.serialNumberHex)
        {
            return device
        }
        if let serial = subject.serialNumber,
            let device = try directory.device(serialNumber: serial, domainID: domain.id)
        {
            return device
        }
        if let name = subject.commonName, let device = try directory.device(named: name, domainID: domain.id) {
            return device
        }
        if domain.autoRegisterDevices, verified.chainsToDeviceAnchors,
            let name = subject.serialNumber ?? subject.commonName
        {
            return try directory.registerDevice(name: name, serialNumber: subject.serialNumber, domainID: domain.id)
        }
        throw ESTError.forbidden(
            "the TLS client certificate \(subject.description) does not belong to a registered device in domain \(domain.name)"
        )
    }

    // MARK: HTTP Basic

    /// Returns the device whose stored credential matches the Basic header, nil without a header.
    private func basicDevice(_ request: HTTPRequest, domain: DomainSettings) throws -> DeviceIdentity? {
        guard let header = request.headers["Authorization"],
            let credentials = try BasicCredentials.parse(authorizationHeader: header)
        else {
            return nil
        }

        let device = try directory.device(named: credentials.username, domainID: domain.id)
        // The same message for an unknown user and a wrong password, so the response does not
        // tell which device names exist.
        guard let device, let stored = device.credentialHash,
            credentialCache.verify(password: credentials.password, deviceID: device.id, credentialHash: stored)
        else {
            throw ESTError.unauthorized(
                "invalid username or password for domain \(domain.name)", offersBasicAuthentication: true)
        }
        return device
    }
}
