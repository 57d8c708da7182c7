@testable import HTTPServer
import Testing

@Suite("Connection lifecycle")
struct ConnectionLifecycleTests {
    let start = ContinuousClock.now
    let limits = HTTPLimits()

    @Test("handshake timeout closes")
    func handshakeTimeout() {
        let lifecycle = ConnectionLifecycle(limits: limits, acceptedAt: start)

        #expect(lifecycle.deadline == start + .seconds(10))
        #expect(lifecycle.timeoutAction(at: start + .seconds(9)) == .none)
        #expect(lifecycle.timeoutAction(at: start + .seconds(10)) == .close)
    }

    @Test("first request held to header timeout")
    func firstRequestTimeout() {
        var lifecycle = ConnectionLifecycle(limits: limits, acceptedAt: start)

        lifecycle.handshakeCompleted(at: start + .seconds(1))
        lifecycle.headBytesReceived(at: start + .seconds(5))

        #expect(lifecycle.state == .readingHead(since: start + .seconds(1)))
        #expect(lifecycle.timeoutAction(at: start + .seconds(11)) == .respondRequestTimeout)
    }

    @Test("keep-alive waits idle timeout")
    func idleBetweenRequests() {
        var lifecycle = ConnectionLifecycle(limits: limits, acceptedAt: start)
        lifecycle.handshakeCompleted(at: start)
        lifecycle.headCompleted(at: start)
        lifecycle.requestCompleted()
        lifecycle.responseStarted(at: start, closeAfter: false)

        let keepOpen = lifecycle.responseFinished(at: start + .seconds(1))

        #expect(keepOpen)
        #expect(lifecycle.isIdle)
        #expect(lifecycle.timeoutAction(at: start + .seconds(60)) == .none)
        #expect(lifecycle.timeoutAction(at: start + .seconds(61)) == .close)
    }

    @Test("header timeout starts at first byte")
    func laterRequestHeaderTimeout() {
        var lifecycle = ConnectionLifecycle(limits: limits, acceptedAt: start)
        lifecycle.handshakeCompleted(at: start)
        lifecycle.requestCompleted()
        lifecycle.responseStarted(at: start, closeAfter: false)
        _ = lifecycle.responseFinished(at: start)

        lifecycle.headBytesReceived(at: start + .seconds(30))

        #expect(lifecycle.deadline == start + .seconds(40))
        #expect(lifecycle.timeoutAction(at: start + .seconds(40)) == .respondRequestTimeout)
    }

    @Test("handler wait has no deadline")
    func handlerWait() {
        var lifecycle = ConnectionLifecycle(limits: limits, acceptedAt: start)
        lifecycle.handshakeCompleted(at: start)
        lifecycle.headCompleted(at: start)

        lifecycle.requestCompleted()

        #expect(lifecycle.deadline == nil)
        #expect(!lifecycle.isReading)
        #expect(lifecycle.timeoutAction(at: start + .seconds(3600)) == .none)
    }

    @Test("close-after response ends connection")
    func closeAfterResponse() {
        var lifecycle = ConnectionLifecycle(limits: limits, acceptedAt: start)
        lifecycle.handshakeCompleted(at: start)
        lifecycle.requestCompleted()
        lifecycle.responseStarted(at: start, closeAfter: true)

        let timeoutWhileWriting = lifecycle.timeoutAction(at: start + .seconds(61))
        let keepOpen = lifecycle.responseFinished(at: start)

        #expect(timeoutWhileWriting == .close)
        #expect(!keepOpen)
        #expect(lifecycle.state == .closed)
    }

    @Test("body progress extends deadline")
    func bodyProgress() {
        var lifecycle = ConnectionLifecycle(limits: limits, acceptedAt: start)
        lifecycle.handshakeCompleted(at: start)
        lifecycle.headCompleted(at: start)

        lifecycle.bodyBytesReceived(at: start + .seconds(50))

        #expect(lifecycle.timeoutAction(at: start + .seconds(100)) == .none)
        #expect(lifecycle.timeoutAction(at: start + .seconds(110)) == .respondRequestTimeout)
    }
}
