import Foundation
import PKI
import TestSupport

/// A root and issuing CA made in code against a fixed clock, shared by the issuing tests.
struct TestPKI {
    /// 2026-01-01T00:00:00Z.
    static let now = Date(timeIntervalSince1970: 1_767_225_600)

    let root: CertificateAuthority
    let issuing: CertificateAuthority

    init(keySpec: KeySpec = .ecdsa(.p256), rootValidityDays: Int = 3650, issuingValidityDays: Int = 1825) throws {
        root = try CertificateAuthority.createRoot(
            subject: DistinguishedName([("O", "Example"), ("CN", "Test Root CA")]),
            key: PrivateKey.generate(keySpec), validityDays: rootValidityDays, now: Self.now)
        issuing = try root.createSubordinate(
            subject: DistinguishedName([("O", "Example"), ("CN", "Test Issuing CA")]),
            key: PrivateKey.generate(keySpec), validityDays: issuingValidityDays, now: Self.now)
    }

    static func request(
        _ spec: KeySpec = .ecdsa(.p256), subject: String = "CN=dev1,OU=Devices,O=Example,L=Berlin",
        names: [GeneralName] = [.dns("dev1.example"), .ipAddress("192.0.2.1"), .uri("urn:dev1"), .email("dev1@example.com")]
    ) throws -> CertificateSigningRequest {
        try CertificateSigningRequest.create(
            subject: DistinguishedName(parsing: subject), subjectAlternativeNames: names, signingKey: PrivateKey.generate(spec))
    }

    /// Makes a key with `openssl genpkey` and a CSR for it with `openssl req`, for requests
    /// this module cannot or would not create (small keys, arbitrary requested extensions).
    static func opensslRequest(keyOptions: [String], requestOptions: [String]) throws -> CertificateSigningRequest {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let keyPath = directory.file("key.pem")
        let csrPath = directory.file("csr.pem")

        try ProcessRunner.check("openssl", ["genpkey", "-out", keyPath] + keyOptions)
        try ProcessRunner.check("openssl", ["req", "-new", "-key", keyPath, "-out", csrPath] + requestOptions)

        return try CertificateSigningRequest(pemEncoded: String(contentsOfFile: csrPath, encoding: .utf8))
    }

    /// Seconds since 1970 as openssl's -attime wants them.
    static var opensslTime: String {
        String(Int(now.timeIntervalSince1970) + 60)
    }
}

extension String {
    func write(in directory: TemporaryDirectory, as name: String) throws -> String {
        let path = directory.file(name)
        try write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
