/// Schema version 2: the line length of base64 response bodies per domain.
///
/// RFC 7030 bodies are base64 with lines of 64 characters by default. Some clients (strongSwan's
/// `pki --est` 5.9) decode only base64 without line breaks, so a domain serving them sets 0.
enum SchemaVersion2 {
    static let sql = """
        ALTER TABLE domains ADD COLUMN base64_line_length INTEGER NOT NULL DEFAULT 64 CHECK (base64_line_length >= 0);
        """
}
