import PKI

/// The lookups the EST layer makes while handling a request: domains, devices, CAs, profiles and
/// trust anchors. `StoreDirectory` implements it over the gateway store with caches for the
/// objects that are costly to load (CA keys, trust stores).
public protocol EnrollmentDirectory: Sendable {
    func domain(named name: String) throws -> DomainSettings?
    func device(named name: String, domainID: Int64) throws -> DeviceIdentity?
    func device(serialNumber: String, domainID: Int64) throws -> DeviceIdentity?
    /// Finds the device a gateway-issued certificate was issued to, by its serial number in hex.
    func device(issuedCertificateSerial serial: String) throws -> DeviceIdentity?
    /// Registers a device met for the first time (domains with auto-registration).
    func registerDevice(name: String, serialNumber: String?, domainID: Int64) throws -> DeviceIdentity
    func certificateAuthority(id: Int64) throws -> CertificateAuthority
    func profile(named name: String) throws -> CertificateProfile?
    /// Returns the trust store of the domain's device anchors, or nil when it has none.
    func deviceTrustStore(for domain: DomainSettings) throws -> TrustStore?
    /// Returns a trust store with the chain of the domain's issuing CA, for certificates the gateway issued.
    func gatewayTrustStore(for domain: DomainSettings) throws -> TrustStore
}
