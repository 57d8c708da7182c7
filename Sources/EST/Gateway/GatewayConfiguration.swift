import Foundation
import HTTPServer
import Logging
import Store

/// The JSON configuration of `estgate serve`. Every field is optional: a missing field keeps the
/// embedded default, so `{}` runs the demo gateway. Unknown keys are rejected by name, because a
/// misspelled setting that silently keeps its default is worse than a startup error.
public struct GatewayConfiguration: Codable, Sendable, Equatable {
    public static let defaultListenAddress = "127.0.0.1:8443"
    public static let defaultDataDirectory = "./estgate-data"

    public var dataDirectory: String?
    public var listen: [String]?
    public var database: String?
    public var tls: TLS?
    public var logging: Logging?
    public var limits: Limits?
    public var handlerThreads: Int?
    public var cas: [CA]?
    public var profiles: [ProfileEntry]?
    public var domains: [Domain]?

    public init() {}

    /// Whether the server sends session tickets: `tls.sessionResumption`, on when unset.
    public var sessionResumption: Bool { tls?.sessionResumption ?? true }

    public struct TLS: Codable, Sendable, Equatable {
        public var certificate: String?
        public var privateKey: String?
        /// `none`, `request` (default) or `require`.
        public var clientCertificates: String?

        /// The values `clientCertificates` accepts, with the server mode each selects.
        static let clientCertificateModes: [String: TLSConfiguration.ClientCertificateMode] = [
            "none": .none, "request": .request, "require": .require,
        ]
        /// PEM bundle the TLS layer verifies client certificates against, on top of the gateway's CAs.
        public var trustAnchors: String?
        /// `true` (default) sends session tickets, so clients can resume their sessions.
        public var sessionResumption: Bool?
    }

    public struct Logging: Codable, Sendable, Equatable {
        /// `logfmt` (default) or `json`.
        public var format: String?
        /// `trace`, `debug`, `info` (default), `notice`, `warning`, `error` or `critical`.
        public var level: String?
    }

    public struct Limits: Codable, Sendable, Equatable {
        public var maximumBodyBytes: Int?
        public var headerReadTimeoutSeconds: Double?
        public var idleTimeoutSeconds: Double?
        public var handshakeTimeoutSeconds: Double?
        public var maximumConnections: Int?
        public var shutdownGracePeriodSeconds: Double?
    }

    /// An issuing CA: its certificate, key and the chain above it up to the root.
    public struct CA: Codable, Sendable, Equatable {
        public var name: String
        public var certificate: String
        public var privateKey: String
        public var chain: String?
    }

    /// A certificate profile, given inline with the fields of `CertificateProfile`.
    public struct ProfileEntry: Codable, Sendable, Equatable {
        public var name: String
        public var validityDays: Int?
        public var keyUsage: [String]?
        public var extendedKeyUsage: [String]?
        public var copySubjectAlternativeNames: [String]?
        public var keptSubjectAttributes: [String]?
        public var allowedKeys: [String]?
    }

    public struct Domain: Codable, Sendable, Equatable {
        public var name: String
        public var ca: String?
        /// `basic`, `certificate`, `certificate-or-basic` (default) or `certificate-and-basic`.
        public var authentication: String?
        /// PEM bundle of the trust anchors for device client certificates, for example an IDevID CA.
        public var trustAnchors: String?
        public var retryAfterSeconds: Int?
        public var automaticRetryAfterSeconds: Int?
        public var csrAttributes: [String]?
        public var channelBinding: Bool?
        public var autoRegisterDevices: Bool?
        public var defaultProfile: String?
        public var profiles: [String]?
        /// Characters per line of base64 response bodies (default 64); 0 sends one unbroken line,
        /// which strongSwan's `pki --est` 5.9 needs.
        public var base64LineLength: Int?
    }

    /// Reads and validates a configuration file; errors name the file and the offending key or value.
    public static func load(path: String) throws -> GatewayConfiguration {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw GatewayError.configuration("cannot read configuration file \(path): \(error.localizedDescription)")
        }
        return try decode(data, source: path)
    }

    public static func decode(_ data: Data, source: String) throws -> GatewayConfiguration {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw GatewayError.configuration("configuration file \(source) is not valid JSON: \(error.localizedDescription)")
        }
        try ConfigurationKeys.check(object, at: "", source: source)

        do {
            let configuration = try JSONDecoder().decode(GatewayConfiguration.self, from: data)
            try configuration.validate(source: source)
            return configuration
        } catch let error as GatewayError {
            throw error
        } catch let DecodingError.typeMismatch(type, context), let DecodingError.valueNotFound(type, context) {
            let found = ConfigurationKeys.text(at: context.codingPath, in: object).map { ", not \($0)" } ?? ""
            throw GatewayError.configuration(
                "configuration file \(source): \(ConfigurationKeys.path(context.codingPath)) must be \(ConfigurationKeys.describe(type))\(found)")
        } catch let DecodingError.keyNotFound(key, context) {
            let parent = ConfigurationKeys.path(context.codingPath)
            throw GatewayError.configuration(
                "configuration file \(source): \(parent.isEmpty ? "" : parent + ".")\(key.stringValue) is missing")
        } catch {
            throw GatewayError.configuration("configuration file \(source) is invalid: \(error)")
        }
    }

    func validate(source: String) throws {
        for address in listen ?? [] where address.isEmpty {
            throw GatewayError.configuration("configuration file \(source): listen contains an empty address")
        }
        if let format = logging?.format, !["logfmt", "json"].contains(format) {
            throw GatewayError.configuration(
                "configuration file \(source): logging.format \"\(format)\" is invalid; use logfmt or json")
        }
        if let level = logging?.level, Logger.Level(name: level) == nil {
            throw GatewayError.configuration(
                "configuration file \(source): logging.level \"\(level)\" is invalid; use trace, debug, info, notice, warning, error or critical")
        }
        if let mode = tls?.clientCertificates, TLS.clientCertificateModes[mode] == nil {
            throw GatewayError.configuration(
                "configuration file \(source): tls.clientCertificates \"\(mode)\" is invalid; use none, request or require")
        }
        for domain in domains ?? [] {
            if let mode = domain.authentication, AuthenticationMode(rawValue: mode) == nil {
                let valid = AuthenticationMode.allCases.map(\.rawValue).joined(separator: ", ")
                throw GatewayError.configuration(
                    "configuration file \(source): domain \"\(domain.name)\" authentication \"\(mode)\" is invalid; use one of \(valid)")
            }
            if let length = domain.base64LineLength, length < 0 || (length > 0 && length % 4 != 0) {
                throw GatewayError.configuration(
                    "configuration file \(source): domain \"\(domain.name)\" base64LineLength \(length) is invalid; use 0 or a positive multiple of 4")
            }
            if let seconds = domain.retryAfterSeconds, !(RetryAfter.minimumSeconds...RetryAfter.maximumSeconds).contains(seconds) {
                throw GatewayError.configuration(
                    "configuration file \(source): domain \"\(domain.name)\" retryAfterSeconds \(seconds) is outside 1...86400")
            }
        }
    }
}
