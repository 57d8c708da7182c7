import Synchronization

/// The process-wide log configuration: format, minimum level and sink.
///
/// Call `bootstrap` once at startup; until then lines go to standard error as logfmt at `info`.
public enum LoggingSystem {
    public struct Configuration: Sendable {
        public var format: LogFormat
        public var level: Logger.Level
        public var sink: any LogSink

        public init(format: LogFormat = .logfmt, level: Logger.Level = .info, sink: any LogSink = StandardErrorLogSink()) {
            self.format = format
            self.level = level
            self.sink = sink
        }
    }

    private static let state = Mutex(Configuration())

    public static func bootstrap(_ configuration: Configuration) {
        state.withLock { $0 = configuration }
    }

    static var current: Configuration {
        state.withLock { $0 }
    }
}
