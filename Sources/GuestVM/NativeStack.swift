import CShims
import Glibc

/// Native stack bounds, so callbacks into the VM from cfuncs stop with SystemStackError before the
/// thread's stack runs out.
enum NativeStack {
    /// Headroom kept free below the limit: a cfunc and the frames of one re-entry must fit in it.
    static let reserve: UInt = 256 * 1024

    /// The lowest address the current thread may use for VM re-entry: from the thread's stack bounds,
    /// or estimated from the current frame and RLIMIT_STACK when they are unknown. Threads and fibers
    /// set `ExecutionContext.nativeStackLimit` for the stacks they run on.
    static func limitForCurrentThread() -> UInt {
        var low: UInt = 0
        var high: UInt = 0
        if jr_current_thread_stack_bounds(&low, &high) == 0 && low != 0 && high > low + 2 * reserve {
            return low + reserve
        }
        var limit = rlimit()
        var size: UInt = 8 << 20
        if getrlimit(Int32(RLIMIT_STACK.rawValue), &limit) == 0 && limit.rlim_cur != rlim_t.max {
            size = UInt(limit.rlim_cur)
        }
        // The caller's frame is near the top of its stack; some of the stack is already in use above it.
        size = min(size, 1 << 30)
        let here = currentAddress()
        return here - size + reserve
    }

    /// The lowest address the compiler may recurse down to on the current stack: the thread's limit when
    /// running on the thread's own stack; on a fiber's stack (outside the thread's bounds) a fixed
    /// budget below the current frame that fits inside the fiber's stack above its re-entry reserve.
    static func compileLimitForCurrentStack() -> UInt {
        let here = currentAddress()
        var low: UInt = 0
        var high: UInt = 0
        if jr_current_thread_stack_bounds(&low, &high) == 0 && low != 0 && low <= here && here < high {
            return low + reserve
        }
        let fiberBudget: UInt = 512 * 1024
        return here > fiberBudget ? here - fiberBudget : 0
    }

    /// An address inside the caller's native frame.
    @inline(never)
    static func currentAddress() -> UInt {
        var marker: UInt8 = 0
        return withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
    }
}
