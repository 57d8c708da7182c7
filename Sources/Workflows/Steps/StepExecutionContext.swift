import Foundation

/// The input of one step execution: the instance's identity, its payload and the clock.
public struct StepExecutionContext: Sendable {
    public var instanceID: String
    public var requestID: String

    /// The immutable input snapshot of the instance: ids, fingerprint and CSR facts
    /// (`subject`, `commonName`, `subjectAlternativeNames` as `["DNS:x"]`, `keyAlgorithm`,
    /// `keyBits`, `curve`), device facts (`deviceName`, `deviceSerialNumber`,
    /// `deviceAttributes`) and `domainName`, `caName`.
    public var payload: JSONValue

    /// The instance's `$vars` bucket, shared by all of its steps.
    public var variables: JSONValue

    /// The 1-based execution count of this step, increased by one for each `.retry`.
    public var attempt: Int

    public var instanceCreatedAt: Date
    public var now: Date

    public init(
        instanceID: String,
        requestID: String,
        payload: JSONValue,
        variables: JSONValue = .object([:]),
        attempt: Int = 1,
        instanceCreatedAt: Date,
        now: Date
    ) {
        self.instanceID = instanceID
        self.requestID = requestID
        self.payload = payload
        self.variables = variables
        self.attempt = attempt
        self.instanceCreatedAt = instanceCreatedAt
        self.now = now
    }
}
