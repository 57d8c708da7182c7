extension CertificateSigningRequest {
    /// Decodes the body of an EST simpleenroll, simplereenroll or serverkeygen request: base64
    /// of the DER request with any line breaks and whitespace (RFC 8951 section 3.4), or the
    /// same inside PEM armor.
    ///
    /// - Throws: `PKIError.invalidBase64` or `.invalidPEM` when the text does not decode,
    ///   `PKIError.invalidCSR` when the decoded bytes are not a CSR. The message names the failed step.
    public static func decodeESTBody(_ body: [UInt8]) throws -> CertificateSigningRequest {
        let der: [UInt8]
        if containsArmor(body) {
            let blocks = try PEM.decode(String(decoding: body, as: UTF8.self))
            guard let block = blocks.first(where: { $0.label.hasSuffix("CERTIFICATE REQUEST") }) else {
                throw PKIError(.invalidPEM, "CSR body has PEM armor but no CERTIFICATE REQUEST block")
            }
            der = block.der
        } else {
            do {
                der = try Base64.decode(body)
            } catch let error as PKIError {
                throw PKIError(.invalidBase64, "CSR body is not valid base64: \(error.message)")
            }
        }

        do {
            return try CertificateSigningRequest(derEncoded: der)
        } catch let error as PKIError {
            throw PKIError(.invalidCSR, "CSR body decodes from base64 but is not a DER PKCS#10 request", openSSLErrors: error.openSSLErrors)
        }
    }

    private static func containsArmor(_ body: [UInt8]) -> Bool {
        let marker = Array("-----BEGIN ".utf8)
        guard body.count >= marker.count else {
            return false
        }
        return (0...(body.count - marker.count)).contains { body[$0..<($0 + marker.count)].elementsEqual(marker) }
    }
}
