import Foundation

extension SQLiteSession {
    func insertCA(_ ca: CARecord) throws -> CARecord {
        var stored = ca
        stored.createdAt = stored.createdAt.storePrecision
        stored.updatedAt = stored.updatedAt.storePrecision
        stored.id = try insert(
            """
            INSERT INTO cas (name, certificate_path, private_key_path, chain_path, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """,
            [.text(ca.name), .text(ca.certificatePath), .text(ca.privateKeyPath), SQLiteValue(ca.chainPath),
             SQLiteValue(ca.createdAt), SQLiteValue(ca.updatedAt)],
            operation: "inserting CA \(ca.name)")
        return stored
    }

    func updateCA(_ ca: CARecord) throws {
        try updateOne(
            "UPDATE cas SET name = ?, certificate_path = ?, private_key_path = ?, chain_path = ?, updated_at = ? WHERE id = ?",
            [.text(ca.name), .text(ca.certificatePath), .text(ca.privateKeyPath), SQLiteValue(ca.chainPath),
             SQLiteValue(ca.updatedAt), .integer(ca.id)],
            entity: "CA", key: String(ca.id))
    }

    func ca(id: Int64) throws -> CARecord? {
        try rows("SELECT * FROM cas WHERE id = ?", [.integer(id)], operation: "reading CA \(id)")
            .first.map(CARecord.init(row:))
    }

    func ca(named name: String) throws -> CARecord? {
        try rows("SELECT * FROM cas WHERE name = ?", [.text(name)], operation: "reading CA \(name)")
            .first.map(CARecord.init(row:))
    }

    func listCAs() throws -> [CARecord] {
        try rows("SELECT * FROM cas ORDER BY name", operation: "listing CAs").map(CARecord.init(row:))
    }

    func insertDomain(_ domain: DomainRecord) throws -> DomainRecord {
        var stored = domain
        stored.createdAt = stored.createdAt.storePrecision
        stored.updatedAt = stored.updatedAt.storePrecision
        stored.id = try insert(
            """
            INSERT INTO domains (name, ca_id, auth_mode, trust_anchors_pem, retry_after_seconds,
                automatic_retry_after_seconds, csr_attributes, channel_binding_required, auto_register_devices,
                default_profile, profiles, base64_line_length, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            domainArguments(domain) + [SQLiteValue(domain.createdAt), SQLiteValue(domain.updatedAt)],
            operation: "inserting domain \(domain.name)")
        return stored
    }

    func updateDomain(_ domain: DomainRecord) throws {
        try updateOne(
            """
            UPDATE domains SET name = ?, ca_id = ?, auth_mode = ?, trust_anchors_pem = ?, retry_after_seconds = ?,
                automatic_retry_after_seconds = ?, csr_attributes = ?, channel_binding_required = ?,
                auto_register_devices = ?, default_profile = ?, profiles = ?, base64_line_length = ?, updated_at = ?
            WHERE id = ?
            """,
            domainArguments(domain) + [SQLiteValue(domain.updatedAt), .integer(domain.id)],
            entity: "domain", key: String(domain.id))
    }

    func domain(id: Int64) throws -> DomainRecord? {
        try rows("SELECT * FROM domains WHERE id = ?", [.integer(id)], operation: "reading domain \(id)")
            .first.map(DomainRecord.init(row:))
    }

    func domain(named name: String) throws -> DomainRecord? {
        try rows("SELECT * FROM domains WHERE name = ?", [.text(name)], operation: "reading domain \(name)")
            .first.map(DomainRecord.init(row:))
    }

    func listDomains() throws -> [DomainRecord] {
        try rows("SELECT * FROM domains ORDER BY name", operation: "listing domains").map(DomainRecord.init(row:))
    }

    func insertProfile(_ profile: ProfileRecord) throws -> ProfileRecord {
        var stored = profile
        stored.createdAt = stored.createdAt.storePrecision
        stored.updatedAt = stored.updatedAt.storePrecision
        stored.id = try insert(
            "INSERT INTO profiles (name, definition, created_at, updated_at) VALUES (?, ?, ?, ?)",
            [.text(profile.name), .text(profile.definition), SQLiteValue(profile.createdAt),
             SQLiteValue(profile.updatedAt)],
            operation: "inserting profile \(profile.name)")
        return stored
    }

    func updateProfile(_ profile: ProfileRecord) throws {
        try updateOne(
            "UPDATE profiles SET name = ?, definition = ?, updated_at = ? WHERE id = ?",
            [.text(profile.name), .text(profile.definition), SQLiteValue(profile.updatedAt), .integer(profile.id)],
            entity: "profile", key: String(profile.id))
    }

    func profile(named name: String) throws -> ProfileRecord? {
        try rows("SELECT * FROM profiles WHERE name = ?", [.text(name)], operation: "reading profile \(name)")
            .first.map(ProfileRecord.init(row:))
    }

    func listProfiles() throws -> [ProfileRecord] {
        try rows("SELECT * FROM profiles ORDER BY name", operation: "listing profiles").map(ProfileRecord.init(row:))
    }

    private func domainArguments(_ domain: DomainRecord) -> [SQLiteValue] {
        [
            .text(domain.name), .integer(domain.caID), .text(domain.authMode.rawValue),
            SQLiteValue(domain.trustAnchorsPEM), SQLiteValue(domain.retryAfterSeconds),
            SQLiteValue(domain.automaticRetryAfterSeconds), .text(StoreJSON.encode(domain.csrAttributes)),
            SQLiteValue(domain.channelBindingRequired), SQLiteValue(domain.autoRegisterDevices),
            SQLiteValue(domain.defaultProfile), .text(StoreJSON.encode(domain.profiles)),
            SQLiteValue(domain.base64LineLength),
        ]
    }
}

extension CARecord {
    init(row: SQLiteRow) throws {
        let row = row.reading("cas")
        self.init(
            id: try row.int64("id"), name: try row.string("name"), certificatePath: try row.string("certificate_path"),
            privateKeyPath: try row.string("private_key_path"), chainPath: try row.optionalString("chain_path"),
            createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
    }
}

extension DomainRecord {
    init(row: SQLiteRow) throws {
        let row = row.reading("domains")
        let mode = try row.string("auth_mode")
        guard let authMode = AuthenticationMode(rawValue: mode) else {
            throw StoreError.invalidStoredValue(table: "domains", column: "auth_mode", value: mode)
        }
        self.init(
            id: try row.int64("id"), name: try row.string("name"), caID: try row.int64("ca_id"), authMode: authMode,
            trustAnchorsPEM: try row.optionalString("trust_anchors_pem"),
            retryAfterSeconds: try row.int("retry_after_seconds"),
            automaticRetryAfterSeconds: try row.int("automatic_retry_after_seconds"),
            csrAttributes: try row.json("csr_attributes", as: [String].self),
            channelBindingRequired: try row.bool("channel_binding_required"),
            autoRegisterDevices: try row.bool("auto_register_devices"),
            defaultProfile: try row.optionalString("default_profile"),
            profiles: try row.json("profiles", as: [String].self),
            base64LineLength: try row.int("base64_line_length"),
            createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
    }
}

extension ProfileRecord {
    init(row: SQLiteRow) throws {
        let row = row.reading("profiles")
        self.init(
            id: try row.int64("id"), name: try row.string("name"), definition: try row.string("definition"),
            createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
    }
}
