/// Owns an OpenSSL object while it is being built, freeing it unless `release()` hands it on
/// to its final owner.
final class OwnedPointer {
    private var pointer: OpaquePointer?
    private let free: (OpaquePointer) -> Void

    init(_ pointer: OpaquePointer, free: @escaping (OpaquePointer) -> Void) {
        self.pointer = pointer
        self.free = free
    }

    func release() -> OpaquePointer {
        // Builders call release once, on their success path.
        let released = pointer!
        pointer = nil
        return released
    }

    deinit {
        if let pointer {
            free(pointer)
        }
    }
}
