/// The first schema. Times are integer milliseconds since the Unix epoch (UTC) in every table;
/// JSON columns hold UTF-8 JSON text.
enum SchemaVersion1 {
    static let sql = """
        CREATE TABLE cas (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            certificate_path TEXT NOT NULL,
            private_key_path TEXT NOT NULL,
            chain_path TEXT,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );

        CREATE TABLE profiles (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            definition TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );

        CREATE TABLE domains (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            ca_id INTEGER NOT NULL REFERENCES cas(id),
            auth_mode TEXT NOT NULL CHECK (auth_mode IN
                ('certificate', 'basic', 'certificate-or-basic', 'certificate-and-basic')),
            trust_anchors_pem TEXT,
            retry_after_seconds INTEGER NOT NULL DEFAULT 60 CHECK (retry_after_seconds > 0),
            automatic_retry_after_seconds INTEGER NOT NULL DEFAULT 5 CHECK (automatic_retry_after_seconds > 0),
            csr_attributes TEXT NOT NULL DEFAULT '[]',
            channel_binding_required INTEGER NOT NULL DEFAULT 0 CHECK (channel_binding_required IN (0, 1)),
            auto_register_devices INTEGER NOT NULL DEFAULT 0 CHECK (auto_register_devices IN (0, 1)),
            default_profile TEXT,
            profiles TEXT NOT NULL DEFAULT '[]',
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        CREATE INDEX domains_ca ON domains (ca_id);

        CREATE TABLE devices (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            serial_number TEXT,
            domain_id INTEGER NOT NULL REFERENCES domains(id),
            credential_hash TEXT,
            status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deleted')),
            attributes TEXT NOT NULL DEFAULT '{}',
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            UNIQUE (domain_id, name)
        );
        CREATE INDEX devices_serial_number ON devices (serial_number);

        CREATE TABLE workflow_definitions (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            version INTEGER NOT NULL,
            published INTEGER NOT NULL DEFAULT 0 CHECK (published IN (0, 1)),
            definition TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            UNIQUE (name, version)
        );
        CREATE INDEX workflow_definitions_published ON workflow_definitions (published);

        -- NULL means "any". SQLite treats NULLs as distinct in UNIQUE, so the uniqueness of the
        -- tuple is enforced on COALESCE(x, -1); row ids are never negative.
        CREATE TABLE workflow_scopes (
            id INTEGER PRIMARY KEY,
            definition_id INTEGER NOT NULL REFERENCES workflow_definitions(id) ON DELETE CASCADE,
            ca_id INTEGER REFERENCES cas(id) ON DELETE CASCADE,
            domain_id INTEGER REFERENCES domains(id) ON DELETE CASCADE,
            device_id INTEGER REFERENCES devices(id) ON DELETE CASCADE
        );
        CREATE UNIQUE INDEX workflow_scopes_unique ON workflow_scopes
            (definition_id, COALESCE(ca_id, -1), COALESCE(domain_id, -1), COALESCE(device_id, -1));

        CREATE TABLE enrollment_requests (
            id TEXT PRIMARY KEY,
            protocol TEXT NOT NULL,
            operation TEXT NOT NULL,
            ca_id INTEGER NOT NULL REFERENCES cas(id),
            domain_id INTEGER NOT NULL REFERENCES domains(id),
            device_id INTEGER REFERENCES devices(id),
            fingerprint TEXT NOT NULL,
            template TEXT NOT NULL,
            aggregated_state TEXT NOT NULL,
            finalized INTEGER NOT NULL DEFAULT 0 CHECK (finalized IN (0, 1)),
            reason TEXT,
            certificate_id INTEGER REFERENCES issued_certificates(id),
            csr_der BLOB NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        -- At most one open request per identity tuple, however many retries race.
        CREATE UNIQUE INDEX enrollment_requests_open_identity ON enrollment_requests
            (fingerprint, protocol, operation, ca_id, domain_id, COALESCE(device_id, -1), template)
            WHERE finalized = 0;
        CREATE INDEX enrollment_requests_identity ON enrollment_requests
            (fingerprint, protocol, operation, ca_id, domain_id, device_id, template, created_at);
        CREATE INDEX enrollment_requests_aggregated_state ON enrollment_requests (aggregated_state);
        CREATE INDEX enrollment_requests_finalized ON enrollment_requests (finalized);
        CREATE INDEX enrollment_requests_device ON enrollment_requests (device_id);
        CREATE INDEX enrollment_requests_created_at ON enrollment_requests (created_at);

        CREATE TABLE device_requests (
            id TEXT PRIMARY KEY,
            device_id INTEGER NOT NULL REFERENCES devices(id),
            domain_id INTEGER REFERENCES domains(id),
            ca_id INTEGER REFERENCES cas(id),
            action TEXT NOT NULL CHECK (action IN ('created', 'onboarded', 'deleted')),
            payload TEXT NOT NULL DEFAULT '{}',
            aggregated_state TEXT NOT NULL,
            finalized INTEGER NOT NULL DEFAULT 0 CHECK (finalized IN (0, 1)),
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        CREATE INDEX device_requests_device ON device_requests (device_id);

        -- next_run_at is when the background worker should run the current step (NULL: nothing
        -- due); lease_until keeps two workers from running the same step at once.
        CREATE TABLE workflow_instances (
            id INTEGER PRIMARY KEY,
            definition_id INTEGER NOT NULL REFERENCES workflow_definitions(id),
            enrollment_request_id TEXT REFERENCES enrollment_requests(id),
            device_request_id TEXT REFERENCES device_requests(id),
            current_step TEXT,
            state TEXT NOT NULL,
            payload TEXT NOT NULL DEFAULT '{}',
            step_contexts TEXT NOT NULL DEFAULT '{}',
            finalized INTEGER NOT NULL DEFAULT 0 CHECK (finalized IN (0, 1)),
            next_run_at INTEGER,
            lease_until INTEGER,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            CHECK ((enrollment_request_id IS NULL) <> (device_request_id IS NULL)),
            UNIQUE (definition_id, enrollment_request_id),
            UNIQUE (definition_id, device_request_id)
        );
        CREATE INDEX workflow_instances_state ON workflow_instances (state);
        CREATE INDEX workflow_instances_enrollment_request ON workflow_instances (enrollment_request_id);
        CREATE INDEX workflow_instances_device_request ON workflow_instances (device_request_id);
        CREATE INDEX workflow_instances_due ON workflow_instances (next_run_at)
            WHERE finalized = 0 AND next_run_at IS NOT NULL;

        CREATE TABLE workflow_step_runs (
            id INTEGER PRIMARY KEY,
            instance_id INTEGER NOT NULL REFERENCES workflow_instances(id),
            run_index INTEGER NOT NULL,
            step_id TEXT NOT NULL,
            step_type TEXT NOT NULL,
            state TEXT NOT NULL,
            context TEXT NOT NULL DEFAULT '{}',
            actor TEXT,
            comment TEXT,
            created_at INTEGER NOT NULL,
            UNIQUE (instance_id, run_index)
        );
        CREATE TRIGGER workflow_step_runs_no_update BEFORE UPDATE ON workflow_step_runs
        BEGIN SELECT RAISE(ABORT, 'workflow_step_runs is append-only'); END;
        CREATE TRIGGER workflow_step_runs_no_delete BEFORE DELETE ON workflow_step_runs
        BEGIN SELECT RAISE(ABORT, 'workflow_step_runs is append-only'); END;

        CREATE TABLE issued_certificates (
            id INTEGER PRIMARY KEY,
            serial_number TEXT NOT NULL UNIQUE,
            subject TEXT NOT NULL,
            not_before INTEGER NOT NULL,
            not_after INTEGER NOT NULL,
            der BLOB NOT NULL,
            request_id TEXT REFERENCES enrollment_requests(id),
            device_id INTEGER REFERENCES devices(id),
            created_at INTEGER NOT NULL
        );
        -- One certificate per enrollment request: a retry after issuance gets the stored one.
        CREATE UNIQUE INDEX issued_certificates_request ON issued_certificates (request_id)
            WHERE request_id IS NOT NULL;
        CREATE INDEX issued_certificates_device ON issued_certificates (device_id);
        CREATE INDEX issued_certificates_not_after ON issued_certificates (not_after);

        CREATE TABLE audit_events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            time INTEGER NOT NULL,
            event TEXT NOT NULL,
            request_id TEXT,
            device_id INTEGER,
            domain_id INTEGER,
            actor TEXT,
            comment TEXT,
            previous_state TEXT,
            new_state TEXT,
            details TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX audit_events_request ON audit_events (request_id);
        CREATE INDEX audit_events_device ON audit_events (device_id);
        CREATE INDEX audit_events_time ON audit_events (time);
        CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
        CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
        """
}
