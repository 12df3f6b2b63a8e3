import CShims
import Glibc

/// The region-wide libunwind registration of an executable range (one FDE: CFA = rbp + 16).
/// Cancelled on `cancel()` or deinit (the C side keeps the handle's bytes alive so a racing walk reads no
/// freed memory; still, destroy a region only when no stack can hold its addresses).
final class UnwindRegistration {
    private var handle: OpaquePointer?

    init(low: UInt, high: UInt) throws(SystemCallError) {
        guard let handle = jr_unwind_register_region(low, high) else {
            throw SystemCallError(call: "_U_dyn_register", errno: Glibc.errno)
        }
        self.handle = handle
    }

    func cancel() {
        if let handle { jr_unwind_cancel_region(handle) }
        handle = nil
    }

    deinit { cancel() }
}
