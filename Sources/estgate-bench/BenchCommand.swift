import ArgumentParsing

/// The command-line declaration of estgate-bench; parsing and help both come from it.
enum BenchCommand {
    static let spec = CommandSpec(
        name: "estgate-bench",
        abstract: "Load an EST server on this machine as many devices would.",
        discussion: """
            Every request opens a new TLS connection unless --keep-alive is given.
            CSRs are made before the clock starts. The enroll workload sends a distinct CSR per
            request (up to 16 keys signing distinct subjects), and poll re-sends a fixed set.
            The run stops at --requests or --duration, whichever comes first. A successful
            response is 200 (or 202 for enroll and poll); errors count every other response and
            every request that got none. The exit status is 1 when no request succeeded.

            estgate-bench seed --data-dir DIR --pending N preloads pending enrollment requests
            into a stopped gateway's database; see estgate-bench seed --help.
            """,
        options: [
            .value("target", valueName: "HOST:PORT", help: "Server address; must resolve to 127.0.0.1 or ::1."),
            .value("workload", valueName: "KIND", default: "enroll", help: "One of enroll, poll, cacerts, get."),
            .value("path", valueName: "PATH", default: "/", help: "Request path of the get workload."),
            .value("label", valueName: "DOMAIN[/PROFILE]", help: "EST label placed before the operation in the path."),
            .value("concurrency", valueName: "N", default: "1", help: "Number of simulated devices sending at once, 1 to 512."),
            .value("requests", valueName: "N", default: "1000", help: "Maximum number of requests, 1 to 100000."),
            .value("duration", valueName: "SECONDS", default: "10", help: "Maximum run time in seconds, 0.1 to 600."),
            .flag("keep-alive", help: "Reuse each device's connection instead of connecting per request."),
            .value("csr-key", valueName: "KEY", default: "p256", help: "Key type of generated CSRs: rsa2048 or p256."),
            .value("poll-csrs", valueName: "N", default: "8", help: "Number of distinct CSRs the poll workload re-sends, 1 to 1000."),
            .value("ca-file", valueName: "PEM-FILE", help: "Trust anchors that verify the server certificate."),
            .flag("insecure-no-verification", help: "Skip server certificate verification (local load tests only)."),
            .value("server-name", valueName: "NAME", help: "Name expected in the server certificate (default: the target host)."),
            .value("client-cert", valueName: "PEM-FILE", help: "Client certificate chain presented to the server."),
            .value("client-key", valueName: "PEM-FILE", help: "Private key of --client-cert."),
            .value("username", valueName: "NAME", help: "HTTP Basic username."),
            .value("password", valueName: "SECRET", help: "HTTP Basic password."),
            .value("server-pid", valueName: "PID", help: "Server process whose CPU time and peak RSS are reported."),
            .flag("json", help: "Print the results as one JSON object instead of a table."),
        ])
}
