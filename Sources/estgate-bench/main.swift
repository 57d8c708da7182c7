import ArgumentParsing
import Foundation
import PKI

// A server that closes a connection while a device is still writing must count as an error, not
// end the run.
signal(SIGPIPE, SIG_IGN)

func standardError(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
}

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "seed" {
    runSeed(Array(arguments.dropFirst()))
}

let settings: BenchSettings
do {
    switch try BenchCommand.spec.parse(arguments) {
    case .help(let text):
        print(text, terminator: "")
        exit(0)
    case .command(let command):
        settings = try BenchSettings(command)
    }
} catch {
    standardError("estgate-bench: \(error.message)\n\(error.helpHint)\n")
    exit(2)
}

let csrs: [CertificateSigningRequest]
do {
    switch settings.workload {
    case .enroll:
        let prefix = "estgate-bench-\(UUID().uuidString.prefix(8).lowercased())"
        csrs = try CSRPool.make(count: settings.requests, key: settings.csrKey, subjectPrefix: prefix, threads: settings.concurrency)
    case .poll:
        csrs = try CSRPool.make(count: settings.pollCSRs, key: settings.csrKey, subjectPrefix: "estgate-bench-poll", threads: 1)
    case .cacerts, .get:
        csrs = []
    }
} catch {
    standardError("estgate-bench: making CSRs failed: \(error)\n")
    exit(1)
}

let before = settings.serverPID.flatMap { ServerProcessStats.read(pid: $0) }
if let pid = settings.serverPID, before == nil {
    standardError("estgate-bench: cannot read /proc/\(pid); is the server running?\n")
    exit(1)
}

let clientCPUBefore = ProcessCPUTime.seconds()
let (result, elapsed) = LoadRunner(settings: settings, csrs: csrs).run()
let clientCPUAfter = ProcessCPUTime.seconds()

let after = settings.serverPID.flatMap { ServerProcessStats.read(pid: $0) }
var report = BenchReport(settings: settings, result: result, elapsedSeconds: elapsed)
if let clientCPUBefore, let clientCPUAfter {
    report.clientCPUSeconds = clientCPUAfter - clientCPUBefore
}
if let before, let after {
    report.serverCPUSeconds = after.cpuSeconds - before.cpuSeconds
    report.serverPeakResidentBytes = after.peakResidentBytes
}

do {
    print(settings.json ? try report.json() : report.table(), terminator: "")
} catch {
    standardError("estgate-bench: encoding the results as JSON failed: \(error)\n")
    exit(1)
}
exit(report.hasSuccess ? 0 : 1)
