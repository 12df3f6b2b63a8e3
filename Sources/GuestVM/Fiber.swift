import CShims

/// A guest Fiber: a block run on its own native stack (`jr_fiber_*`) with its own `ExecutionContext`.
///
/// The VM has no Procs: a block's environment normally lives on its creator's value stack. A fiber may
/// outlive that frame, so `Fiber.new` copies the block's captured environment chain (every enclosing
/// level's locals) to the bottom of the fiber's own value stack and the block reads them there.
/// Limitation: captured locals are shared *by value* — assignments inside the fiber to an outer local are
/// not seen by the creator and vice versa; `yield` inside the fiber's block (to the creator's block) raises
/// LocalJumpError.
public final class RFiber: HeapObject {
    public enum State: Sendable { case created, running, suspended, finished }

    /// Bytes of native stack per fiber (plus a guard page); the upper part of it is for re-entry.
    static let nativeStackSize = 1 << 20

    public internal(set) var state: State = .created
    /// The C fiber; nil once finished and destroyed.
    var handle: OpaquePointer?
    let context: ExecutionContext
    /// The block descriptor `pushBlockFrame` reads (self, env, block ISEQ, cref of the creating frame).
    let blockFrame: UnsafeMutablePointer<ControlFrame>
    /// Where the copied environments end on `context`'s value stack (the first frame starts here).
    let envEnd: UnsafeMutablePointer<Value>
    /// Values handed across a switch: resume's arguments into the fiber, yielded / final value out of it.
    var inbound: [Value] = []
    var outbound: Value = .nil
    /// The exception the fiber's block ended with (re-raised by the resume that ran it).
    var failure: Value = .undef
    weak var vm: VM?
    /// The root ISEQ owning the block's code: a fiber may outlive the program or eval that created it.
    let codeOwner: ISeq

    init(klass: RClass, vm: VM, context: ExecutionContext, blockFrame: UnsafeMutablePointer<ControlFrame>,
         envEnd: UnsafeMutablePointer<Value>, codeOwner: ISeq) {
        self.vm = vm
        self.codeOwner = codeOwner
        self.context = context
        self.blockFrame = blockFrame
        self.envEnd = envEnd
        super.init(klass: klass)
    }

    deinit {
        // Unreachable (collected) while suspended or never started: its frames are simply discarded.
        if let handle { jr_fiber_destroy(handle) }
        if let vm {
            vm.removeExecutionContext(context)
            vm.fibers.live[ObjectIdentifier(self)] = nil
        }
        blockFrame.deallocate()
    }

    public override func forEachReference(_ body: (Value) -> Void) {
        super.forEachReference(body)
        body(blockFrame.pointee.selfValue)
        var slot = context.stackBase
        while slot < envEnd { body(slot.pointee); slot += 1 }
        for v in inbound { body(v) }
        body(outbound)
        body(failure)
    }
}

/// The VM's fibers: which one runs now (innermost resume last) and every one with a native stack.
public final class FiberRegistry {
    var running: [RFiber] = []
    var live: [ObjectIdentifier: Unmanaged<RFiber>] = [:]
    init() {}
}

extension VM {
    /// Calls `body` for every suspended fiber with its saved context (walkable until it is resumed) and
    /// its native stack bounds [low, high), for the code collector's roots.
    public func forEachSuspendedFiber(_ body: (UnsafeMutableRawPointer, Range<UInt>) -> Void) {
        for (_, ref) in fibers.live {
            let f = ref.takeUnretainedValue()
            guard f.state == .suspended, let h = f.handle, jr_fiber_is_suspended(h) != 0,
                  let ctx = jr_fiber_saved_context(h) else { continue }
            var low: UInt = 0, high: UInt = 0
            jr_fiber_stack_bounds(h, &low, &high)
            body(UnsafeMutableRawPointer(ctx), low..<high)
        }
    }

    /// Calls `body` for every native stack waiting in a `resume` under a running fiber, with the context its
    /// switch into the fiber saved (walkable until that fiber yields or ends) and the bounds of that stack:
    /// the main thread's stack for the outermost resume, else the stack of the fiber that resumed. A code
    /// collection that runs inside a fiber must walk them: the JIT frames on them return once it yields.
    public func forEachWaitingResumer(_ body: (UnsafeMutableRawPointer, Range<UInt>) -> Void) {
        // Fibers run on the main thread only; `resumeFiber` cached its stack bounds before switching (the
        // collecting thread may be another one).
        var resumerStack: Range<UInt>? = mainMutator.threadStack
        var low: UInt = 0, high: UInt = 0
        for f in fibers.running {
            guard let h = f.handle else { break }
            if let ctx = jr_fiber_resumer_context(h), let stack = resumerStack {
                body(UnsafeMutableRawPointer(ctx), stack)
            }
            jr_fiber_stack_bounds(h, &low, &high)
            resumerStack = low..<high
        }
    }

    /// Number of fibers started and not finished.
    public var suspendedFiberCount: Int { fibers.live.values.filter { $0.takeUnretainedValue().state == .suspended }.count }

    var fiberErrorClass: RClass { defineClass("FiberError", superclass: standardErrorClass) }

    /// `Fiber.new { }` from the cfunc running on `ec` (its block is the fiber's body).
    func newFiber(_ fiberClass: RClass, ec: ExecutionContext) throws(GuestError) -> Value {
        guard let bf = blockOfCurrentFrame(ec) else {
            throw error(argumentErrorClass, "tried to create Proc object without a block", ec: ec)
        }
        // The fiber registry's "running" stack is per VM: fibers belong to the VM's creating thread.
        guard ec.mutator?.isMain ?? true else {
            throw error(fiberErrorClass, "fibers are supported on the main thread only", ec: ec)
        }
        let fec = makeExecutionContext(stackCapacity: 256 << 10, frameCapacity: 20_000)
        fec.mutator = ec.mutator
        let copy = copyBlock(bf, into: fec)
        let fiber = RFiber(klass: fiberClass, vm: self, context: fec, blockFrame: copy.blockFrame, envEnd: copy.envEnd,
                           codeOwner: copy.codeOwner)
        let entry: jr_fiber_entry = { _, argument in
            // Nothing on the fiber's own stack may hold a strong reference to the fiber, its context or the
            // VM: a fiber left suspended is destroyed without unwinding, so they could never be freed. The
            // fiber owns its context; whoever resumes the fiber holds the VM while the body runs.
            let fiber = Unmanaged<RFiber>.fromOpaque(argument!)
            let refs = { () -> (vm: Unmanaged<VM>, context: Unmanaged<ExecutionContext>)? in
                let f = fiber.takeUnretainedValue()
                guard let vm = f.vm else { return nil }
                return (Unmanaged.passUnretained(vm), Unmanaged.passUnretained(f.context))
            }()
            guard let refs else { return }
            refs.context._withUnsafeGuaranteedRef { VM.runFiberBody(fiber, vm: refs.vm, on: $0) }
        }
        guard let h = jr_fiber_create(RFiber.nativeStackSize, entry, Unmanaged.passUnretained(fiber).toOpaque()) else {
            removeExecutionContext(fec)
            throw error(fiberErrorClass, "can't allocate fiber stack", ec: ec)
        }
        fiber.handle = h
        fibers.live[ObjectIdentifier(fiber)] = Unmanaged.passUnretained(fiber)
        return heap.track(fiber)
    }

    /// The fiber's entry, on its own native stack, with the VM and the context borrowed (see `newFiber`):
    /// a `borrowing` context captured by the closure is not retained, even unoptimized.
    static func runFiberBody(_ ref: Unmanaged<RFiber>, vm: Unmanaged<VM>, on ec: borrowing ExecutionContext) {
        vm._withUnsafeGuaranteedRef { $0.runFiberBody(ref, on: ec) }
    }

    /// Runs the fiber's block with the first resume's arguments.
    private func runFiberBody(_ ref: Unmanaged<RFiber>, on ec: ExecutionContext) {
        let pushFailure: Value?
        do {
            let f = ref.takeUnretainedValue()
            var low: UInt = 0, high: UInt = 0
            jr_fiber_stack_bounds(f.handle, &low, &high)
            ec.nativeStackLimit = low + NativeStack.reserve
            let args = f.inbound
            f.inbound = []
            let base = f.envEnd
            base.pointee = .nil
            for (i, a) in args.enumerated() { base[1 + i] = a }
            pushFailure = pushBlockFrame(ec, sp: base + 1 + args.count, argc: args.count, blockFrame: f.blockFrame, finish: true)
        }
        var outcome: Result<Value, GuestError> = .failure(GuestError(pushFailure ?? .undef))
        if pushFailure == nil {
            do { outcome = .success(try execute(ec)) } catch { outcome = .failure(error) }
        }
        let f = ref.takeUnretainedValue()
        switch outcome {
        case .success(let v): f.outbound = v
        case .failure(let e): f.failure = e.value
        }
        f.state = .finished
    }

    /// Ruby's packing of values passed across a switch: none -> nil, one -> itself, more -> an Array.
    func fiberValue(_ values: [Value]) -> Value {
        switch values.count {
        case 0: return .nil
        case 1: return values[0]
        default: return newArray(values)
        }
    }

    /// `fiber.resume(*args)` on `ec`: runs the fiber until it yields (returns the yielded value) or ends
    /// (returns the block's value, or raises what the block raised).
    func resumeFiber(_ f: RFiber, _ args: [Value], ec: ExecutionContext) throws(GuestError) -> Value {
        switch f.state {
        case .finished: throw error(fiberErrorClass, "attempt to resume a terminated fiber", ec: ec)
        case .running: throw error(fiberErrorClass, fibers.running.last === f ? "attempt to resume the current fiber"
                                    : "attempt to resume a resumed fiber (double resume)", ec: ec)
        case .created, .suspended: break
        }
        guard let h = f.handle else { throw error(fiberErrorClass, "attempt to resume a terminated fiber", ec: ec) }
        f.inbound = args
        f.state = .running
        _ = mainMutator.currentThreadStack()  // for collections that walk this stack while it waits
        fibers.running.append(f)
        let rc = jr_fiber_resume(h)
        fibers.running.removeLast()
        if rc != 0 { throw error(fiberErrorClass, "cannot resume fiber", ec: ec) }
        let result = f.outbound
        f.outbound = .nil
        if f.state == .finished {
            jr_fiber_destroy(h)
            f.handle = nil
            fibers.live[ObjectIdentifier(f)] = nil
            removeExecutionContext(f.context)
            let failure = f.failure
            f.failure = .undef
            if failure != .undef { throw GuestError(failure) }
        }
        return result
    }

    /// `Fiber.yield(*args)` on `ec`: suspends the running fiber, returns what the next resume passes.
    func yieldFiber(_ args: [Value], ec: ExecutionContext) throws(GuestError) -> Value {
        let ref: Unmanaged<RFiber>
        let h: OpaquePointer
        do {
            guard let f = fibers.running.last, f.context === ec, let handle = f.handle else {
                throw error(fiberErrorClass, "attempt to yield on a not resumed fiber", ec: ec)
            }
            f.outbound = fiberValue(args)
            f.state = .suspended
            ref = Unmanaged.passUnretained(f)
            h = handle
        }
        // A suspended fiber holds no Values in native locals (they are in the fiber or on its value
        // stack), so its pending Fiber.yield must not keep the object collector off; nor may it hold a
        // strong reference to its own fiber object.
        ec.cfuncDepth -= 1
        jr_fiber_yield(h)
        ec.cfuncDepth += 1
        let f = ref.takeUnretainedValue()
        let inbound = f.inbound
        f.inbound = []
        return fiberValue(inbound)
    }
}
