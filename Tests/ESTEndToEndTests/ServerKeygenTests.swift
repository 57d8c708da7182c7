import Foundation
import Testing
import TestSupport

@Suite("EST serverkeygen")
struct ServerKeygenTests {
    @Test("key and certificate in multipart")
    func serverGeneratedKey() throws {
        let gateway = try EndToEndGateway()
        let credentials = try gateway.demoCredentials()
        let (csrKeyPath, csrPath) = try gateway.makeCSR(name: "keygen")
        let body = Array(try Data(contentsOf: URL(fileURLWithPath: csrPath)))

        // The demo workflow handles simpleenroll and simplereenroll only, so serverkeygen issues at once.
        let response = try gateway.post("serverkeygen", body: body, credentials: credentials)
        #expect(response.status == 200, "\(response.text)")
        let contentType = try #require(response.headers["content-type"])
        #expect(contentType.hasPrefix("multipart/mixed; boundary="))
        let boundary = String(contentType.dropFirst("multipart/mixed; boundary=".count))

        let parts = MultipartBody.parts(response.text, boundary: boundary)
        #expect(parts.count == 2)
        let keyPart = try #require(parts.first)
        let certificatePart = try #require(parts.last)
        #expect(keyPart.headers["content-type"] == "application/pkcs8")
        #expect(certificatePart.headers["content-type"] == "application/pkcs7-mime; smime-type=certs-only")

        // The key parses with openssl and the certificate carries its public key, not the CSR's.
        let keyDER = try #require(Data(base64Encoded: keyPart.body, options: .ignoreUnknownCharacters))
        let keyPath = gateway.directory.file("generated.der")
        try keyDER.write(to: URL(fileURLWithPath: keyPath))
        let generatedPublicKey = try ProcessRunner.check("openssl", ["pkey", "-inform", "DER", "-in", keyPath, "-pubout"]).output

        let certificateDER = try #require(Data(base64Encoded: certificatePart.body, options: .ignoreUnknownCharacters))
        let p7Path = gateway.directory.file("generated.p7")
        try certificateDER.write(to: URL(fileURLWithPath: p7Path))
        let certificatePath = gateway.directory.file("generated.pem")
        try ProcessRunner.check("openssl", ["pkcs7", "-inform", "DER", "-in", p7Path, "-print_certs", "-out", certificatePath])
        let certificatePublicKey = try ProcessRunner.check("openssl", ["x509", "-in", certificatePath, "-noout", "-pubkey"]).output
        let csrPublicKey = try ProcessRunner.check("openssl", ["pkey", "-in", csrKeyPath, "-pubout"]).output
        #expect(certificatePublicKey == generatedPublicKey)
        #expect(certificatePublicKey != csrPublicKey)
        let verify = try ProcessRunner.run("openssl", ["verify", "-CAfile", gateway.caChain, certificatePath])
        #expect(verify.exitCode == 0)

        // The key is not stored, so a repeat of the same CSR cannot get it again.
        let repeated = try gateway.post("serverkeygen", body: body, credentials: credentials)
        #expect(repeated.status == 409)
        #expect(repeated.text.hasSuffix("were already delivered; send a new CSR for a new key\n"))
    }
}

/// A minimal multipart/mixed reader for checking serverkeygen responses.
enum MultipartBody {
    struct Part {
        var headers: [String: String]
        var body: String
    }

    static func parts(_ text: String, boundary: String) -> [Part] {
        text.components(separatedBy: "--\(boundary)")
            .dropFirst()
            .filter { !$0.hasPrefix("--") }
            .compactMap { chunk in
                guard let split = chunk.range(of: "\r\n\r\n") else {
                    return nil
                }
                var headers: [String: String] = [:]
                for line in chunk[..<split.lowerBound].split(separator: "\r\n") {
                    guard let colon = line.firstIndex(of: ":") else {
                        continue
                    }
                    headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
                return Part(headers: headers, body: String(chunk[split.upperBound...]))
            }
    }
}
