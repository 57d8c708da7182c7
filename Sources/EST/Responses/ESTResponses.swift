import HTTPServer
import PKI

/// Builders for every EST response body and header set (RFC 7030 section 4, RFC 8951).
public enum ESTResponses {
    static let certsOnlyContentType = "application/pkcs7-mime; smime-type=certs-only"

    /// 200 with a degenerate PKCS#7 SignedData holding `certificates`, base64 in 64-character lines.
    public static func certsOnly(_ certificates: [Certificate], lineLength: Int = 64) -> HTTPResponse {
        certsOnly(derEncoded: certificates.map(\.derEncoded), lineLength: lineLength)
    }

    /// Returns the same response for certificates kept as DER, such as one read from the store.
    public static func certsOnly(derEncoded certificates: [[UInt8]], lineLength: Int = 64) -> HTTPResponse {
        base64Body(status: 200, contentType: certsOnlyContentType, der: PKCS7.certsOnly(derEncoded: certificates), lineLength: lineLength)
    }

    /// 200 with the DER CSR attributes, or 204 when the domain has none configured (RFC 7030 section 4.5.2).
    public static func csrAttributes(_ der: [UInt8]?, lineLength: Int = 64) -> HTTPResponse {
        guard let der, !der.isEmpty else {
            return HTTPResponse(status: 204, headers: HTTPHeaders(), body: [])
        }
        return base64Body(status: 200, contentType: "application/csrattrs", der: der, lineLength: lineLength)
    }

    /// 202 telling the device to poll again after `retryAfter`.
    public static func pending(requestID: String, retryAfter: RetryAfter) -> HTTPResponse {
        var response = HTTPResponse.text(
            202, "enrollment request \(requestID) is pending approval; retry after \(retryAfter.seconds) seconds")
        response.headers.add("Retry-After", retryAfter.headerValue)
        return response
    }

    /// Builds the multipart/mixed serverkeygen response: the PKCS#8 private key, then the
    /// certificate as certs-only (RFC 7030 section 4.4.2).
    public static func serverGeneratedKey(
        privateKeyPKCS8 key: [UInt8], certificate: Certificate, boundary: String, lineLength: Int = 64
    ) throws
        -> HTTPResponse
    {
        let certificateDER = PKCS7.certsOnly([certificate])
        var text = ""
        text += "--\(boundary)\r\n"
        text += "Content-Type: application/pkcs8\r\n"
        text += "Content-Transfer-Encoding: base64\r\n\r\n"
        text += encodeBase64(key, lineLength: lineLength) + "\r\n"
        text += "--\(boundary)\r\n"
        text += "Content-Type: \(certsOnlyContentType)\r\n"
        text += "Content-Transfer-Encoding: base64\r\n\r\n"
        text += encodeBase64(certificateDER, lineLength: lineLength) + "\r\n"
        text += "--\(boundary)--\r\n"

        var headers = HTTPHeaders()
        headers.add("Content-Type", "multipart/mixed; boundary=\(boundary)")
        return HTTPResponse(status: 200, headers: headers, body: Array(text.utf8))
    }

    /// Converts an `ESTError` to its text/plain response; every EST refusal goes through here.
    public static func error(_ error: ESTError) -> HTTPResponse {
        var response = HTTPResponse.text(error.status, error.message)
        if error.offersBasicAuthentication {
            response.headers.add("WWW-Authenticate", "Basic realm=\"estgate\"")
        }
        if let allowed = error.allowedMethod {
            response.headers.add("Allow", allowed)
        }
        return response
    }

    /// Encodes with the domain's line length, where 0 means one unbroken line.
    private static func encodeBase64(_ bytes: [UInt8], lineLength: Int) -> String {
        Base64.encode(bytes, lineLength: lineLength > 0 ? lineLength : nil)
    }

    private static func base64Body(status: Int, contentType: String, der: [UInt8], lineLength: Int) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add("Content-Type", contentType)
        headers.add("Content-Transfer-Encoding", "base64")
        let body = encodeBase64(der, lineLength: lineLength) + "\n"
        return HTTPResponse(status: status, headers: headers, body: Array(body.utf8))
    }
}
