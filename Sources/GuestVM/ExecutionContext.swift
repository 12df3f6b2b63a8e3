import Glibc

/// All interpreter state of one thread of guest execution: the VM value stack and the control-frame
/// stack (raw memory, fixed capacity, reserved with `mmap` so untouched capacity costs nothing), the
/// exception in flight and the innermost native protect point. Fibers and threads each get one.
public final class ExecutionContext {
    public unowned let vm: VM
    /// `vm` for frames that must not retain it (see `builtin`): the VM owns its contexts.
    let unretainedVM: Unmanaged<VM>
    public let stackBase: UnsafeMutablePointer<Value>
    public let stackCapacity: Int
    public let frameBase: UnsafeMutablePointer<ControlFrame>
    public let frameCapacity: Int
    /// The running frame; `frameBase - 1` when no frame is pushed.
    public var cfp: UnsafeMutablePointer<ControlFrame>
    /// The thrown object (exception or `RThrow`) while it crosses native frames (cfunc -> protect point).
    public var pendingThrow: Value = .undef
    /// Slot holding the innermost `jr_protect_call` frame (C memory, see protect.c); nil outside cfuncs.
    public let protectTop: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    /// Lowest native stack address re-entry may use (SystemStackError below it).
    public var nativeStackLimit: UInt = 0
    /// Cfunc calls in progress on this context (their native locals may hold Values: no collection).
    public var cfuncDepth = 0
    /// The native thread that runs this context (fibers: the creating thread's).
    public internal(set) var mutator: Mutator?
    /// The JIT's per-thread runtime block for this context (owned by the JIT; see `JITCompiler.contextEnded`).
    public var jitRuntime: UnsafeMutableRawPointer?
    /// The TracePoint event a hook is handling on this context (none: `trace.isInHook` is false).
    public var trace = TraceDelivery()

    let stackLimit: UnsafeMutablePointer<Value>
    let frameLimit: UnsafeMutablePointer<ControlFrame>

    /// - Parameters: capacities in values and frames; the defaults allow 100,000-deep guest recursion.
    public init(vm: VM, stackCapacity: Int = 4 << 20, frameCapacity: Int = 300_000) {
        self.vm = vm
        unretainedVM = Unmanaged.passUnretained(vm)
        self.stackCapacity = stackCapacity
        self.frameCapacity = frameCapacity
        stackBase = ExecutionContext.reserve(Value.self, count: stackCapacity)
        frameBase = ExecutionContext.reserve(ControlFrame.self, count: frameCapacity)
        // Keep a margin so an instruction can always push a few values after the overflow check.
        stackLimit = stackBase + (stackCapacity - 64)
        frameLimit = frameBase + (frameCapacity - 1)
        cfp = frameBase - 1
        protectTop = .allocate(capacity: 1)
        protectTop.initialize(to: nil)
        nativeStackLimit = NativeStack.limitForCurrentThread()
    }

    deinit {
        munmap(UnsafeMutableRawPointer(stackBase), stackCapacity * MemoryLayout<Value>.stride)
        munmap(UnsafeMutableRawPointer(frameBase), frameCapacity * MemoryLayout<ControlFrame>.stride)
        protectTop.deallocate()
    }

    private static func reserve<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        let bytes = count * MemoryLayout<T>.stride
        let p = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
        guard let p, p != MAP_FAILED else { fatalError("ExecutionContext: cannot reserve \(bytes) bytes") }
        return p.bindMemory(to: T.self, capacity: count)
    }

    /// Opaque pointer handed to cfuncs as their `ec` argument.
    public var opaque: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    /// Number of frames currently pushed.
    public var frameCount: Int { cfp - frameBase + 1 }

    /// Calls `body` for every pushed frame, innermost first.
    public func forEachFrame(_ body: (UnsafeMutablePointer<ControlFrame>) -> Void) {
        var f = cfp
        while f >= frameBase {
            body(f)
            f -= 1
        }
    }
}
