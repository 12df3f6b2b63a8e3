import GuestVM

/// The raw memory JIT code reaches through r12: the few words it reads and writes at fixed offsets.
struct RuntimeBlock {
    /// Frame JIT code was running when it left (the caller sets `ec.cfp` from it).
    static let cfp: Int32 = 0
    /// Nonzero asks JIT code to leave at the next interrupt check (loop back-edges).
    static let interrupt: Int32 = 8
    /// `Unmanaged<GuestJIT>`.
    static let jit: Int32 = 16
    /// Side exits taken (JIT code increments it).
    static let sideExits: Int32 = 24
    /// `Unmanaged<ExecutionContext>` of the innermost entry.
    static let ec: Int32 = 32
    /// Bumped by every method change and entry removal: call caches filled under another value are stale.
    static let serial: Int32 = 40
    /// The innermost entry's value-stack and frame-stack limits (what the VM checks before pushing).
    static let stackLimit: Int32 = 48
    static let frameLimit: Int32 = 56
    /// The raise a helper reported (status 1): a `Value` word.
    static let pendingRaise: Int32 = 64
    /// Entries into JIT code on this block's thread (per thread: threads never write one counter together).
    static let jitEntries: Int32 = 72
    /// The frame whose JIT code is making the innermost send helper call on this thread (0 outside one):
    /// how `JIT.in_jit?` knows its caller's call site is JIT code (`GuestJIT.callerIsJITCode`).
    static let sendingFrame: Int32 = 80
    /// The innermost entry's native stack limit: a cached send that would grow the native stack below it
    /// takes the helper path instead, whose callee returns unpaired (see `SharedCode`).
    static let nativeStackLimit: Int32 = 88
    /// Leaves of compiled code that returned to JIT code by an indirect jump through `jitReturn` because
    /// the return address was not paired on the native stack (per thread, like `sideExits`).
    static let indirectReturns: Int32 = 96
    static let size = 112

    let base: UnsafeMutableRawPointer

    /// A new block, all words zero (`pendingRaise` undef).
    init() {
        base = .allocate(byteCount: Self.size, alignment: 16)
        base.initializeMemory(as: UInt8.self, repeating: 0, count: Self.size)
        word(Self.pendingRaise).pointee = Value.undef.raw
    }

    /// The block at `base` (one of the JIT's per-thread blocks).
    init(base: UnsafeMutableRawPointer) {
        self.base = base
    }

    func word(_ offset: Int32) -> UnsafeMutablePointer<UInt64> {
        (base + Int(offset)).assumingMemoryBound(to: UInt64.self)
    }
}
