import Foundation
import PKI
import Store

/// Writes the CAs, profiles and domains of a configuration file into the store at startup, so the
/// file stays the source of truth for what it names and the admin tools manage the rest.
enum ConfigurationApplier {
    static func apply(_ configuration: GatewayConfiguration, to store: any GatewayStore, source: String) throws {
        try store.transaction { session in
            for entry in configuration.cas ?? [] {
                try apply(ca: entry, session: session)
            }
            try ensureBuiltInProfile(session: session)
            for entry in configuration.profiles ?? [] {
                try apply(profile: entry, session: session, source: source)
            }
            for entry in configuration.domains ?? [] {
                try apply(domain: entry, session: session, source: source)
            }
        }
    }

    /// Stores the built-in device profile unless it exists; domains default to it, so it must
    /// exist with or without the demo.
    static func ensureBuiltInProfile(session: any StoreSession) throws {
        let builtIn = CertificateProfile.deviceClient
        guard try session.profile(named: builtIn.name) == nil else {
            return
        }
        let json = String(decoding: try JSONEncoder().encode(builtIn), as: UTF8.self)
        _ = try session.insertProfile(ProfileRecord(name: builtIn.name, definition: json))
    }

    private static func apply(ca entry: GatewayConfiguration.CA, session: any StoreSession) throws {
        // Loading proves the files exist and the key matches before anything is stored.
        _ = try CertificateAuthority.load(
            certificatePath: entry.certificate, privateKeyPath: entry.privateKey, chainPath: entry.chain)
        if var existing = try session.ca(named: entry.name) {
            existing.certificatePath = entry.certificate
            existing.privateKeyPath = entry.privateKey
            existing.chainPath = entry.chain
            existing.updatedAt = Date()
            try session.updateCA(existing)
        } else {
            _ = try session.insertCA(
                CARecord(name: entry.name, certificatePath: entry.certificate, privateKeyPath: entry.privateKey, chainPath: entry.chain))
        }
    }

    private static func apply(profile entry: GatewayConfiguration.ProfileEntry, session: any StoreSession, source: String) throws {
        let base = CertificateProfile.deviceClient
        var profile = base
        profile.name = entry.name
        profile.validityDays = entry.validityDays ?? base.validityDays
        profile.keyUsage = entry.keyUsage ?? base.keyUsage
        profile.extendedKeyUsage = entry.extendedKeyUsage ?? base.extendedKeyUsage
        profile.copySubjectAlternativeNames = entry.copySubjectAlternativeNames ?? base.copySubjectAlternativeNames
        profile.keptSubjectAttributes = entry.keptSubjectAttributes ?? base.keptSubjectAttributes
        profile.allowedKeys = entry.allowedKeys ?? base.allowedKeys
        do {
            try profile.validate()
        } catch {
            throw GatewayError.configuration("configuration file \(source): \(error)")
        }
        let json = String(decoding: try JSONEncoder().encode(profile), as: UTF8.self)

        if var existing = try session.profile(named: entry.name) {
            existing.definition = json
            existing.updatedAt = Date()
            try session.updateProfile(existing)
        } else {
            _ = try session.insertProfile(ProfileRecord(name: entry.name, definition: json))
        }
    }

    private static func apply(domain entry: GatewayConfiguration.Domain, session: any StoreSession, source: String) throws {
        let existing = try session.domain(named: entry.name)
        let caID: Int64
        if let caName = entry.ca {
            guard let ca = try session.ca(named: caName) else {
                throw GatewayError.configuration("configuration file \(source): domain \"\(entry.name)\" names unknown CA \"\(caName)\"")
            }
            caID = ca.id
        } else if let existing {
            caID = existing.caID
        } else if let only = try session.listCAs().first {
            caID = only.id
        } else {
            throw GatewayError.configuration("configuration file \(source): domain \"\(entry.name)\" needs a ca and none is configured")
        }

        var trustAnchorsPEM = existing?.trustAnchorsPEM
        if let path = entry.trustAnchors {
            do {
                trustAnchorsPEM = try String(contentsOfFile: path, encoding: .utf8)
                _ = try Certificate.certificates(fromPEM: trustAnchorsPEM ?? "")
            } catch {
                throw GatewayError.configuration(
                    "configuration file \(source): domain \"\(entry.name)\" trustAnchors \(path) is not a readable PEM bundle: \(error)")
            }
        }

        var record = existing ?? DomainRecord(name: entry.name, caID: caID)
        record.caID = caID
        record.trustAnchorsPEM = trustAnchorsPEM
        if let mode = entry.authentication.flatMap(AuthenticationMode.init(rawValue:)) {
            record.authMode = mode
        }
        record.retryAfterSeconds = entry.retryAfterSeconds ?? record.retryAfterSeconds
        record.automaticRetryAfterSeconds = entry.automaticRetryAfterSeconds ?? record.automaticRetryAfterSeconds
        if let attributes = entry.csrAttributes {
            do {
                _ = try CSRAttributes.encode(oids: attributes)
            } catch {
                throw GatewayError.configuration(
                    "configuration file \(source): domain \"\(entry.name)\" csrAttributes is invalid: \(error)")
            }
            record.csrAttributes = attributes
        }
        record.channelBindingRequired = entry.channelBinding ?? record.channelBindingRequired
        record.autoRegisterDevices = entry.autoRegisterDevices ?? record.autoRegisterDevices
        record.defaultProfile = entry.defaultProfile ?? record.defaultProfile ?? CertificateProfile.deviceClient.name
        record.profiles = entry.profiles ?? record.profiles
        record.base64LineLength = entry.base64LineLength ?? record.base64LineLength
        for name in [record.defaultProfile].compactMap({ $0 }) + record.profiles where try session.profile(named: name) == nil {
            throw GatewayError.configuration(
                "configuration file \(source): domain \"\(entry.name)\" names unknown profile \"\(name)\"")
        }
        record.updatedAt = Date()

        if existing == nil {
            _ = try session.insertDomain(record)
        } else {
            try session.updateDomain(record)
        }
    }
}
