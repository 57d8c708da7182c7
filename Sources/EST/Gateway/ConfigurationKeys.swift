import Foundation

/// The keys each object of the configuration file may contain, for rejecting misspelled settings.
enum ConfigurationKeys {
    static let allowed: [String: Set<String>] = [
        "": ["dataDirectory", "listen", "database", "tls", "logging", "limits", "handlerThreads", "cas", "profiles", "domains"],
        "tls": ["certificate", "privateKey", "clientCertificates", "trustAnchors", "sessionResumption"],
        "logging": ["format", "level"],
        "limits": [
            "maximumBodyBytes", "headerReadTimeoutSeconds", "idleTimeoutSeconds", "handshakeTimeoutSeconds",
            "maximumConnections", "shutdownGracePeriodSeconds",
        ],
        "cas[]": ["name", "certificate", "privateKey", "chain"],
        "profiles[]": [
            "name", "validityDays", "keyUsage", "extendedKeyUsage", "copySubjectAlternativeNames",
            "keptSubjectAttributes", "allowedKeys",
        ],
        "domains[]": [
            "name", "ca", "authentication", "trustAnchors", "retryAfterSeconds", "automaticRetryAfterSeconds",
            "csrAttributes", "channelBinding", "autoRegisterDevices", "defaultProfile", "profiles", "base64LineLength",
        ],
    ]

    /// Throws for the first key that is not a known setting, naming its full path.
    static func check(_ object: Any, at path: String, source: String) throws {
        if let array = object as? [Any] {
            for element in array {
                try check(element, at: path + "[]", source: source)
            }
            return
        }
        guard let dictionary = object as? [String: Any] else {
            return
        }
        guard let known = allowed[path] else {
            throw GatewayError.configuration("configuration file \(source): \(path) must not be an object")
        }
        for key in dictionary.keys.sorted() {
            guard known.contains(key) else {
                let prefix = path.isEmpty ? "" : path.replacingOccurrences(of: "[]", with: "[...]") + "."
                throw GatewayError.configuration(
                    "configuration file \(source): unknown setting \(prefix)\(key); known settings here: \(known.sorted().joined(separator: ", "))")
            }
            if let value = dictionary[key], value is [String: Any] || value is [[String: Any]] {
                try check(value, at: path.isEmpty ? key : "\(path).\(key)", source: source)
            }
        }
    }

    static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.map { key in key.intValue.map { "[\($0)]" } ?? key.stringValue }
            .joined(separator: ".")
            .replacingOccurrences(of: ".[", with: "[")
    }

    /// Returns the JSON text of the value at `codingPath` in the parsed file, cut to 60 characters,
    /// or nil when the path leads nowhere.
    static func text(at codingPath: [any CodingKey], in object: Any) -> String? {
        var value: Any? = object
        for key in codingPath {
            if let index = key.intValue {
                value = (value as? [Any]).flatMap { index < $0.count ? $0[index] : nil }
            } else {
                value = (value as? [String: Any])?[key.stringValue]
            }
        }
        guard let value,
            let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys])
        else {
            return nil
        }
        let text = String(decoding: data, as: UTF8.self)
        return text.count > 60 ? text.prefix(57) + "..." : text
    }

    /// Names a Swift type as the configuration file's reader knows it.
    static func describe(_ type: Any.Type) -> String {
        let name = String(describing: type)
        if name.hasPrefix("Array") {
            return "a list"
        }
        if name.hasPrefix("Dictionary") {
            return "an object"
        }
        switch name {
        case "String": return "a string"
        case "Int", "Double": return "a number"
        case "Bool": return "true or false"
        default: return name
        }
    }
}
