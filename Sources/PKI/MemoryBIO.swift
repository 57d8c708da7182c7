import COpenSSL

/// An owned in-memory OpenSSL BIO for PEM reading and writing.
final class MemoryBIO {
    let bio: OpaquePointer

    init() throws {
        OpenSSLErrorQueue.clear()
        guard let bio = BIO_new(BIO_s_mem()) else {
            throw PKIError(.internalError, "allocating a memory BIO failed")
        }
        self.bio = bio
    }

    convenience init(bytes: [UInt8]) throws {
        try self.init()
        guard !bytes.isEmpty else {
            return
        }
        let written = bytes.withUnsafeBytes { BIO_write(bio, $0.baseAddress, Int32($0.count)) }
        guard written == Int32(bytes.count) else {
            throw PKIError(.internalError, "writing to a memory BIO failed")
        }
    }

    convenience init(text: String) throws {
        try self.init(bytes: Array(text.utf8))
    }

    deinit {
        BIO_free(bio)
    }

    var bytes: [UInt8] {
        var data: UnsafeMutablePointer<CChar>?
        let length = COpenSSL_BIO_get_mem_data(bio, &data)
        guard length > 0, let data else {
            return []
        }
        return data.withMemoryRebound(to: UInt8.self, capacity: length) {
            Array(UnsafeBufferPointer(start: $0, count: length))
        }
    }

    var text: String {
        String(decoding: bytes, as: UTF8.self)
    }
}
