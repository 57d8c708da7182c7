import Glibc

extension HTTPServer {
    /// Everything the server needs to start, apart from the handler.
    public struct Configuration: Sendable {
        public var listenAddresses: [ListenAddress]
        public var tls: TLSConfiguration
        public var limits: HTTPLimits

        /// Threads running epoll loops that do all socket and TLS work. Default: the active cores.
        public var eventLoopCount: Int

        /// Threads running `HTTPRequestHandler.handle`, which may block. Default 8.
        public var handlerThreadCount: Int

        public init(
            listenAddresses: [ListenAddress],
            tls: TLSConfiguration,
            limits: HTTPLimits = HTTPLimits(),
            eventLoopCount: Int = Configuration.activeProcessorCount,
            handlerThreadCount: Int = 8
        ) {
            self.listenAddresses = listenAddresses
            self.tls = tls
            self.limits = limits
            self.eventLoopCount = eventLoopCount
            self.handlerThreadCount = handlerThreadCount
        }

        public static var activeProcessorCount: Int {
            max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        }
    }
}
