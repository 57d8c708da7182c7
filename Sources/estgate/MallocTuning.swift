import Foundation

/// Process-wide glibc allocator settings for the gateway.
enum MallocTuning {
    /// `M_MMAP_THRESHOLD` from glibc's malloc.h.
    private static let mmapThresholdParameter: Int32 = -3
    /// Allocations of at least this size get their own mapping, returned to the kernel on free.
    static let mmapThresholdBytes: Int32 = 1024 * 1024

    /// Makes large allocations, such as the 16 MiB scrypt work area of each password check, go
    /// back to the kernel when freed. By default glibc raises its threshold after the first such
    /// free and then keeps the area resident in every handler thread's arena, which measured as
    /// a 16 MiB step of resident memory per thread that ran scrypt.
    ///
    /// `mallopt` is looked up at run time because the toolchain's Glibc module does not import
    /// malloc.h; where it is missing (another C library) nothing changes.
    static func returnLargeAllocationsToKernel() -> Bool {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else {
            return false
        }
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        return mallopt(mmapThresholdParameter, mmapThresholdBytes) == 1
    }
}
