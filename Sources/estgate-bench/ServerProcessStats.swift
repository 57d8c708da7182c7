import Foundation

/// CPU time and peak resident memory of a server process, read from /proc on Linux.
struct ServerProcessStats: Sendable, Equatable {
    /// User plus system CPU time consumed since the process started.
    var cpuSeconds: Double
    /// Peak resident set size (VmHWM).
    var peakResidentBytes: Int

    /// Reads the stats of `pid`; nil when the process is gone or /proc is unreadable.
    static func read(pid: Int32) -> ServerProcessStats? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        else {
            return nil
        }

        // The command name in field 2 may contain spaces, so fields are counted after its ')'.
        guard let close = stat.lastIndex(of: ")") else {
            return nil
        }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else {
            return nil
        }
        let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

        var peakKilobytes = 0
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            // The line reads "VmHWM:\t   12345 kB".
            let fields = line.dropFirst("VmHWM:".count).split { $0 == " " || $0 == "\t" }
            peakKilobytes = fields.first.flatMap { Int($0) } ?? 0
        }
        return ServerProcessStats(cpuSeconds: (user + system) / ticksPerSecond, peakResidentBytes: peakKilobytes * 1024)
    }
}
