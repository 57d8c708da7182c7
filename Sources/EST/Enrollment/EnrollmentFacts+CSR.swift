import PKI
import Store
import Workflows

extension EnrollmentFacts {
    /// The CSR and device facts that Condition steps and webhooks see. `publicKey` is the CSR's
    /// key, passed in because reading it from the CSR again runs OpenSSL's key encoder.
    init(
        csr: CertificateSigningRequest, publicKey: PublicKey, device: DeviceIdentity?, domainName: String,
        caName: String, remoteAddress: String?
    ) {
        let algorithm = publicKey.algorithm
        var curve: String?
        if case .ecdsa(let ecCurve) = algorithm {
            curve = ecCurve.rawValue
        }
        self.init(
            subject: csr.subject.description, commonName: csr.subject.commonName,
            subjectAlternativeNames: csr.subjectAlternativeNames.map(\.description),
            keyAlgorithm: algorithm.name, keyBits: algorithm.bits, curve: curve, deviceName: device?.name,
            deviceSerialNumber: device?.serialNumber, deviceAttributes: device?.attributes ?? [:],
            domainName: domainName, caName: caName, remoteAddress: remoteAddress)
    }
}

extension IssuedCertificateRecord {
    init(_ certificate: Certificate, requestID: String, deviceID: Int64?) {
        self.init(
            serialNumber: certificate.serialNumberHex.lowercased(), subject: certificate.subject.description,
            notBefore: certificate.notBefore, notAfter: certificate.notAfter, der: certificate.derEncoded,
            requestID: requestID, deviceID: deviceID)
    }
}

extension KeySpec {
    /// The key type a server-generated key gets for serverkeygen: the same as the CSR's key.
    init(matching algorithm: KeyAlgorithm) throws {
        switch algorithm {
        case .rsa(let bits):
            self = .rsa(bits: KeySpec.validRSASizes.contains(bits) ? bits : 2048)
        case .ecdsa(let curve):
            self = .ecdsa(curve)
        case .ed25519:
            self = .ed25519
        default:
            throw ESTError.badRequest("serverkeygen cannot generate a key of type \(algorithm)")
        }
    }
}
