/// The state of an enrollment request after a submission or decision, which the EST layer maps
/// to 200, 202 or an error.
public struct EnrollmentStatus: Sendable, Equatable {
    public var requestID: String
    public var state: State
    public var finalized: Bool
    /// True when this call created the request.
    public var created: Bool
    /// True while the request waits only on background steps (webhooks, timers) and not on a
    /// person, so the response may ask the client to retry sooner.
    public var onlyAutomaticStepsPending: Bool
    public var reason: String?
    /// The certificate stored for the request, once issued.
    public var issuedCertificateDER: [UInt8]?
    /// True when this call stored the certificate.
    public var issuedInThisCall = false
    /// True when this call stored the first certificate of the request's device.
    public var firstCertificateForDevice = false

    public init(
        requestID: String, state: State, finalized: Bool, created: Bool, onlyAutomaticStepsPending: Bool,
        reason: String?, issuedCertificateDER: [UInt8]?
    ) {
        self.requestID = requestID
        self.state = state
        self.finalized = finalized
        self.created = created
        self.onlyAutomaticStepsPending = onlyAutomaticStepsPending
        self.reason = reason
        self.issuedCertificateDER = issuedCertificateDER
    }
}

/// The state of a device request after its event was raised or its instances were decided.
public struct DeviceRequestStatus: Sendable, Equatable {
    public var requestID: String
    public var state: State
    public var finalized: Bool

    public init(requestID: String, state: State, finalized: Bool) {
        self.requestID = requestID
        self.state = state
        self.finalized = finalized
    }
}
