import TestSupport

enum SQLiteShell {
    /// Runs `sql` with the sqlite3 CLI, as another process would, and returns its error output.
    static func errorOutput(_ path: String, _ sql: String) throws -> String {
        try ProcessRunner.run("sqlite3", [path, sql]).errorOutput
    }
}
