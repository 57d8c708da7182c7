import Store

extension AuthenticationMode {
    var allowsBasic: Bool { self != .certificate }
    var allowsCertificate: Bool { self != .basic }
}
