import COpenSSL
import Synchronization

/// A PKCS#10 certificate signing request (RFC 2986), read from its DER part by part.
///
/// The request is not parsed with d2i_X509_REQ, because OpenSSL 3.0 then decodes the key with
/// OSSL_DECODER, which cost more than the rest of the CSR handling together (perf on an enroll
/// load). `derEncoded` is the one representation, and the objects below are read from it once.
public final class CertificateSigningRequest: @unchecked Sendable {
    // @unchecked Sendable: nothing changes after init, and OpenSSL 3 allows concurrent read-only
    // use of an X509_NAME, an EVP_PKEY and the ASN.1 objects that RequestSignature owns.

    /// The DER exactly as received or created; the signature covers these bytes.
    public let derEncoded: [UInt8]

    /// Lowercase hex SHA-256 of the DER CertificationRequestInfo with every challengePassword
    /// attribute removed, so that a request re-signed (ECDSA signatures are randomized) or sent
    /// with a new challengePassword keeps its fingerprint. It is computed over the bytes as
    /// received, with the remaining attributes in DER order.
    public let fingerprint: String
    let layout: CertificationRequestLayout
    private let subjectName: OpaquePointer
    private let signature: RequestSignature
    /// The subject public key, decoded during parsing. A key OpenSSL cannot decode fails only
    /// `publicKey` and `verifySignature`, as it did with d2i_X509_REQ.
    private let decodedKey: Result<OpaquePointer, PKIError>
    /// A flag set once the signature has verified. The request cannot change, so neither can the result.
    private let signatureVerified = Atomic<Bool>(false)

    /// Parses a DER CertificationRequest; trailing bytes are an error.
    ///
    /// - Throws: `PKIError.invalidCSR` naming the part that is not DER or not where RFC 2986
    ///   puts it.
    public init(derEncoded: [UInt8]) throws {
        OpenSSLErrorQueue.clear()
        guard let parts = RequestSignature.readParts(derEncoded) else {
            throw PKIError(.invalidCSR, "CSR is not a DER PKCS#10 CertificationRequest (\(derEncoded.count) bytes)")
        }
        let layout: CertificationRequestLayout
        do {
            layout = try CertificationRequestLayout(derEncoded)
        } catch {
            COpenSSL_sk_ASN1_TYPE_pop_free(parts)
            throw error
        }
        let signature = try RequestSignature(taking: parts, signatureAlgorithm: layout.signatureAlgorithm)
        try Self.checkAttributes(layout.attributes)
        let keyInfo = layout.subjectPublicKeyInfo
        let keyAlgorithm = try decodeAlgorithmIdentifier(keyInfo.algorithm, part: "subjectPublicKeyInfo algorithm")
        defer { X509_ALGOR_free(keyAlgorithm) }
        guard let subjectName = decodeDER(layout.subject, { d2i_X509_NAME(nil, $0, $1) }, free: { X509_NAME_free($0) }) else {
            throw PKIError.invalidCSR(DER.Error(offset: layout.subject.startIndex, "subject is not an X.509 Name"))
        }

        self.derEncoded = derEncoded
        self.fingerprint = layout.fingerprint
        self.layout = layout
        self.subjectName = subjectName
        self.signature = signature
        self.decodedKey = Result { () throws(PKIError) in try keyInfo.decodeKey(algorithm: keyAlgorithm) }
    }

    /// Checks that OpenSSL reads each attribute as SEQUENCE { OID, SET OF ANY }, as d2i_X509_REQ
    /// did; the layout does not look inside the values, such as a BOOLEAN of two octets.
    private static func checkAttributes(_ attributes: [CertificationRequestLayout.Attribute]) throws {
        for attribute in attributes {
            guard let parsed = decodeDER(attribute.der, { d2i_X509_ATTRIBUTE(nil, $0, $1) }, free: { X509_ATTRIBUTE_free($0) }) else {
                throw PKIError.invalidCSR(DER.Error(offset: attribute.der.startIndex, "attribute is not an X.509 Attribute"))
            }
            X509_ATTRIBUTE_free(parsed)
        }
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

    deinit {
        X509_NAME_free(subjectName)
        if case .success(let pkey) = decodedKey {
            EVP_PKEY_free(pkey)
        }
    }

    /// The DER SubjectPublicKeyInfo, as received.
    var subjectPublicKeyInfoDER: ArraySlice<UInt8> {
        layout.subjectPublicKeyInfo.der
    }

    /// Whether the key's algorithm and parameters are in the one standard form for the
    /// algorithm, so the received bytes can be reused as they are.
    var keyAlgorithmIsStandardForm: Bool {
        layout.subjectPublicKeyInfo.standardForm != nil
    }

    public var pemEncoded: String {
        PEM.encode(label: "CERTIFICATE REQUEST", der: derEncoded)
    }

    public var subject: DistinguishedName {
        DistinguishedName(borrowing: subjectName)
    }

    /// The subject public key.
    ///
    /// - Throws: `PKIError.invalidPublicKey` when OpenSSL cannot decode the key (an unknown
    ///   algorithm or invalid key bytes).
    public var publicKey: PublicKey {
        get throws {
            let pkey = try decodedKey.get()
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

        let pkey = try decodedKey.get()
        OpenSSLErrorQueue.clear()
        guard signature.verify(with: pkey) else {
            throw PKIError(.signatureInvalid, "CSR signature does not verify with its public key")
        }
        signatureVerified.store(true, ordering: .releasing)
    }
}
