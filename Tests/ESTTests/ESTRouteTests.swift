import Testing

@testable import EST

@Suite("ESTRoute")
struct ESTRouteTests {
    @Test("operations without labels")
    func operationsWithoutLabels() throws {
        for operation in ESTOperation.allCases {
            let route = try ESTRoute.parse(path: "/.well-known/est/\(operation.rawValue)")
            #expect(route == ESTRoute(operation: operation))
        }
    }

    @Test("domain and profile labels")
    func labels() throws {
        #expect(try ESTRoute.parse(path: "/.well-known/est/factory/simpleenroll") == ESTRoute(domainLabel: "factory", operation: .simpleenroll))
        #expect(
            try ESTRoute.parse(path: "/.well-known/est/factory/tls-server/simplereenroll")
                == ESTRoute(domainLabel: "factory", profileLabel: "tls-server", operation: .simplereenroll))
        #expect(try ESTRoute.parse(path: "/.well-known/est/cacerts/") == ESTRoute(operation: .cacerts))
    }

    @Test("unknown paths rejected with reason", arguments: [
        ("/", "no EST resource at /; EST paths start with /.well-known/est/"),
        ("/.well-known/est/", "no EST resource at /.well-known/est/"),
        ("/.well-known/est/a/b/c/cacerts", "no EST resource at /.well-known/est/a/b/c/cacerts"),
        ("/.well-known/est/enroll", "unknown EST operation \"enroll\""),
        ("/.well-known/est/bad label/cacerts", "invalid EST label \"bad label\"; labels use letters, digits, '.', '_' and '-'"),
        ("/.well-known/est//cacerts", "invalid EST label \"\"; labels use letters, digits, '.', '_' and '-'"),
    ])
    func rejected(path: String, message: String) {
        #expect(throws: ESTError.notFound(message)) {
            try ESTRoute.parse(path: path)
        }
    }

    @Test("operation methods")
    func methods() {
        #expect(ESTOperation.cacerts.method == "GET")
        #expect(ESTOperation.csrattrs.method == "GET")
        #expect(ESTOperation.simpleenroll.method == "POST")
        #expect(ESTOperation.serverkeygen.method == "POST")
        #expect(ESTOperation.simpleenroll.submitsCSR)
        #expect(!ESTOperation.fullcmc.submitsCSR)
    }
}

@Suite("MediaType")
struct MediaTypeTests {
    @Test("case and parameters ignored", arguments: [
        "application/pkcs10", "Application/PKCS10", "application/pkcs10; charset=utf-8", " application/pkcs10 ;x=y",
    ])
    func matchesPKCS10(value: String) {
        #expect(MediaType(headerValue: value) == .pkcs10)
    }

    @Test("malformed values", arguments: ["", "application", "/pkcs10", "application/", "text/plain"])
    func notPKCS10(value: String) {
        #expect(MediaType(headerValue: value) != .pkcs10)
    }
}

@Suite("RetryAfter")
struct RetryAfterTests {
    @Test("clamped to one second and one day")
    func clamped() {
        #expect(RetryAfter(seconds: 0).seconds == 1)
        #expect(RetryAfter(seconds: -5).seconds == 1)
        #expect(RetryAfter(seconds: 30).headerValue == "30")
        #expect(RetryAfter(seconds: 1_000_000).seconds == 86_400)
    }
}

@Suite("BasicCredentials")
struct BasicCredentialsTests {
    @Test("parses username and password")
    func parses() throws {
        // "device-7:pa:ss" in base64; the password may contain a colon.
        let credentials = try #require(try BasicCredentials.parse(authorizationHeader: "Basic ZGV2aWNlLTc6cGE6c3M="))
        #expect(credentials.username == "device-7")
        #expect(credentials.password == "pa:ss")
        #expect(try BasicCredentials.parse(authorizationHeader: "basic ZGV2aWNlLTc6cGE6c3M=")?.username == "device-7")
    }

    @Test("other schemes ignored")
    func otherScheme() throws {
        #expect(try BasicCredentials.parse(authorizationHeader: "Bearer abc") == nil)
    }

    @Test("malformed credentials rejected")
    func malformed() {
        let expected = ESTError.badRequest("Authorization header is not valid Basic credentials; expected base64 of username:password")
        #expect(throws: expected) { try BasicCredentials.parse(authorizationHeader: "Basic !!!") }
        // "nocolon" in base64.
        #expect(throws: expected) { try BasicCredentials.parse(authorizationHeader: "Basic bm9jb2xvbg==") }
    }
}
