import COpenSSL
import Synchronization

/// A PKCS#10 certificate signing request (RFC 2986), owning its OpenSSL X509_REQ.
public final class CertificateSigningRequest: @unchecked Sendable {
    // @unchecked Sendable: the request is never modified after init, and OpenSSL 3 allows
    // concurrent read-only use of an X509_REQ.
    let request: OpaquePointer
    /// The DER exactly as received or created; the signature covers these bytes.
    public let derEncoded: [UInt8]

    /// Lowercase hex SHA-256 of the DER CertificationRequestInfo with every challengePassword
    /// attribute removed, so that a request re-signed (ECDSA signatures are randomized) or sent
    /// with a new challengePassword keeps its fingerprint. It is computed over the bytes as
    /// received, with the remaining attributes in DER order.
    public let fingerprint: String
    private let subjectPublicKeyInfoDER: ArraySlice<UInt8>
    /// Whether the key's algorithm and parameters are in the one standard form for the
    /// algorithm, so the received bytes can be reused as they are.
    let keyAlgorithmIsStandardForm: Bool
    /// A flag set once the signature has verified. The request cannot change, so neither can the result.
    private let signatureVerified = Atomic<Bool>(false)

    /// Takes ownership of `request`, also when it throws.
    ///
    /// - Throws: `PKIError.invalidCSR` when `derEncoded` is not DER.
    private init(taking request: OpaquePointer, derEncoded: [UInt8]) throws {
        let layout: CertificationRequestLayout
        do {
            layout = try CertificationRequestLayout(derEncoded)
        } catch {
            X509_REQ_free(request)
            throw error
        }
        self.request = request
        self.derEncoded = derEncoded
        self.fingerprint = layout.fingerprint
        self.subjectPublicKeyInfoDER = layout.subjectPublicKeyInfo
        self.keyAlgorithmIsStandardForm = layout.keyAlgorithmIsStandardForm
    }

    /// Parses a DER CertificationRequest; trailing bytes are an error.
    ///
    /// - Throws: `PKIError.invalidCSR`.
    public convenience init(derEncoded: [UInt8]) throws {
        OpenSSLErrorQueue.clear()
        let parsed = decodeDER(derEncoded, { d2i_X509_REQ(nil, $0, $1) }, free: { X509_REQ_free($0) })
        guard let request = parsed else {
            throw PKIError(.invalidCSR, "CSR is not a DER PKCS#10 CertificationRequest (\(derEncoded.count) bytes)")
        }
        try self.init(taking: request, derEncoded: derEncoded)
    }

    /// Parses the first "CERTIFICATE REQUEST" (or "NEW CERTIFICATE REQUEST") PEM block.
    ///
    /// - Throws: `PKIError.invalidPEM` when there is no such block, `PKIError.invalidCSR` when its
    ///   contents are not a CSR.
    public convenience init(pemEncoded: String) throws {
        let blocks = try PEM.decode(pemEncoded)
        guard let block = blocks.first(where: { $0.label == "CERTIFICATE REQUEST" || $0.label == "NEW CERTIFICATE REQUEST" }) else {
            throw PKIError(.invalidPEM, "no CERTIFICATE REQUEST PEM block found")
        }
        try self.init(derEncoded: block.der)
    }

    /// Takes ownership of a request built in this module and encodes it.
    convenience init(takingBuilt request: OpaquePointer) throws {
        let der: [UInt8]
        do {
            der = try encodeDER("CSR") { i2d_X509_REQ(request, $0) }
        } catch {
            X509_REQ_free(request)
            throw error
        }
        try self.init(taking: request, derEncoded: der)
    }

    deinit {
        X509_REQ_free(request)
    }

    public var pemEncoded: String {
        PEM.encode(label: "CERTIFICATE REQUEST", der: derEncoded)
    }

    public var subject: DistinguishedName {
        guard let name = X509_REQ_get_subject_name(request) else {
            return DistinguishedName([])
        }
        return DistinguishedName(borrowing: name)
    }

    /// The subject public key.
    ///
    /// - Throws: `PKIError.invalidPublicKey` when OpenSSL cannot decode the key (an unknown
    ///   algorithm or invalid key bytes).
    public var publicKey: PublicKey {
        get throws {
            OpenSSLErrorQueue.clear()
            guard let pkey = X509_REQ_get0_pubkey(request) else {
                throw PKIError(.invalidPublicKey, "CSR public key cannot be decoded")
            }
            guard keyAlgorithmIsStandardForm else {
                // OpenSSL's encoder writes the key in the standard form, as a certificate has it.
                return try PublicKey(sharing: pkey)
            }
            return PublicKey(sharing: pkey, subjectPublicKeyInfoDER: Array(subjectPublicKeyInfoDER))
        }
    }

    /// Checks the signature with the request's own public key: the proof of possession of the
    /// private key (RFC 7030 section 3.4). Covers RSA PKCS#1 v1.5 and PSS, ECDSA and Ed25519.
    ///
    /// - Throws: `PKIError.signatureInvalid`, or `PKIError.invalidPublicKey`.
    public func verifySignature() throws {
        guard !signatureVerified.load(ordering: .acquiring) else {
            return
        }

        OpenSSLErrorQueue.clear()
        guard let pkey = X509_REQ_get0_pubkey(request) else {
            throw PKIError(.invalidPublicKey, "CSR public key cannot be decoded")
        }
        guard X509_REQ_verify(request, pkey) == 1 else {
            throw PKIError(.signatureInvalid, "CSR signature does not verify with its public key")
        }
        signatureVerified.store(true, ordering: .releasing)
    }

    /// The extensions in the extensionRequest attribute (RFC 2985 section 5.4.2).
    public var requestedExtensions: [CertificateExtension] {
        requestedExtensionStack()?.extensions ?? []
    }

    /// The names of the requested subjectAltName extension.
    public var subjectAlternativeNames: [GeneralName] {
        requestedExtensionStack()?.subjectAlternativeNames ?? []
    }

    /// The challengePassword attribute (RFC 2985 section 5.4.1), which EST uses for a one-time
    /// password or the TLS channel binding.
    public var challengePassword: String? {
        let index = X509_REQ_get_attr_by_NID(request, NID_pkcs9_challengePassword, -1)
        guard index >= 0, let attribute = X509_REQ_get_attr(request, index),
            let value = X509_ATTRIBUTE_get0_type(attribute, 0),
            let string = COpenSSL_ASN1_TYPE_string(value)
        else {
            return nil
        }
        return asn1StringText(string)
    }

    private func requestedExtensionStack() -> ExtensionStack? {
        guard let stack = X509_REQ_get_extensions(request) else {
            OpenSSLErrorQueue.clear()
            return nil
        }
        return ExtensionStack(taking: stack)
    }
}
