/// Facts the EST layer read from a CSR and its device. They become the workflow instance's
/// payload, which Condition and Webhook steps read.
public struct EnrollmentFacts: Sendable, Codable, Equatable {
    public var subject: String
    public var commonName: String?
    /// Entries such as `"DNS:device.example"` or `"IP:10.0.0.1"`.
    public var subjectAlternativeNames: [String]
    /// `"rsa"`, `"ecdsa"` or `"ed25519"`.
    public var keyAlgorithm: String
    public var keyBits: Int
    public var curve: String?
    public var deviceName: String?
    public var deviceSerialNumber: String?
    public var deviceAttributes: [String: String]
    public var domainName: String
    public var caName: String
    public var remoteAddress: String?

    public init(
        subject: String, commonName: String? = nil, subjectAlternativeNames: [String] = [], keyAlgorithm: String,
        keyBits: Int, curve: String? = nil, deviceName: String? = nil, deviceSerialNumber: String? = nil,
        deviceAttributes: [String: String] = [:], domainName: String, caName: String, remoteAddress: String? = nil
    ) {
        self.subject = subject
        self.commonName = commonName
        self.subjectAlternativeNames = subjectAlternativeNames
        self.keyAlgorithm = keyAlgorithm
        self.keyBits = keyBits
        self.curve = curve
        self.deviceName = deviceName
        self.deviceSerialNumber = deviceSerialNumber
        self.deviceAttributes = deviceAttributes
        self.domainName = domainName
        self.caName = caName
        self.remoteAddress = remoteAddress
    }
}
