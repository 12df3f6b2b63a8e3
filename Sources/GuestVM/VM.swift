import CShims

/// VM-wide state: classes, method tables, globals, constants, symbols, the object heap and the ISEQ
/// registry. Everything that belongs to one thread of execution is in `ExecutionContext` instead.
public final class VM {
    public let symbols = SymbolTable()
    public let heap = ObjectHeap()
    public let iseqs = ISeqRegistry()
    public let output: OutputBuffer
    public let options: VMOptions

    /// Bumped by every method definition, redefinition and removal; inline caches compare against it.
    public internal(set) var methodSerial: UInt64 = 1
    /// Bumped by every constant assignment (constant inline caches).
    public internal(set) var constantSerial: UInt64 = 1
    /// Global variables; read and written through `global`/`setGlobal` (locked once multi-threaded).
    public var globals: [Int: Value] = [:]
    let globalsLock = LeafLock()
    /// Serializes inline-cache fills once multi-threaded (`VM+CallCacheFill.swift`).
    let callCacheFillLock = LeafLock()
    /// The JIT, if enabled (nil with --no-jit). See `JITCompiler`. The VM owns it; the JIT holds the VM
    /// without a reference count (a strong one made every VM with a JIT immortal).
    public var jit: JITCompiler? {
        didSet {
            jitEnabled = jit != nil
            jitBox?.release()
            jitBox = jit.map { Unmanaged.passRetained(JITBox($0)) }
        }
    }
    /// `jit` in a box the call and return paths borrow it from (see `withUnretainedJIT`).
    private(set) var jitBox: Unmanaged<JITBox>?
    /// `jit != nil`, as a plain flag for the call path.
    public private(set) var jitEnabled = false
    /// `TraceEvent` bits of every enabled TracePoint: the one flag call paths check (0: not tracing).
    public internal(set) var traceEvents: UInt8 = 0
    /// TracePoints and their bookkeeping (`Tracing/`).
    lazy var traceState = TraceState(vm: self)

    var methodObservers: [MethodChangeObserver] = []
    /// Removed or replaced method entries still possibly running on some frame.
    var zombies: [MethodEntry] = []
    /// class -> parent cref (0: none) -> cref, by object identity. Int keys rather than a struct key: a new
    /// Hashable key type costs every start a scan of the executable's protocol conformances.
    var crefs: [Int: [Int: Cref]] = [:]
    public private(set) var executionContexts: [ExecutionContext] = []
    /// Running and suspended guest fibers (`Fiber.swift`).
    let fibers = FiberRegistry()
    /// Stop-the-world coordination and the lock for structural changes (`Safepoint.swift`, `VMLock.swift`).
    public let safepoints = Safepoints()
    let vmLock = VMLock()
    /// The VM's creating thread (registered from the start).
    public let mainMutator = Mutator(isMain: true)
    /// Set (never cleared) when the first guest Thread starts: from then on shared structures are locked.
    public private(set) var isMultithreaded = false
    /// Guest threads started and not yet finished (`GuestThread.swift`).
    var threads = ThreadRegistry()
    /// The C API table handed to every cfunc.
    public let api: UnsafeMutablePointer<jr_guest_api>

    // Core classes.
    public internal(set) var basicObjectClass: RClass!
    public internal(set) var objectClass: RClass!
    public internal(set) var moduleClass: RClass!
    public internal(set) var classClass: RClass!
    public internal(set) var integerClass: RClass!
    public internal(set) var stringClass: RClass!
    public internal(set) var arrayClass: RClass!
    public internal(set) var symbolClass: RClass!
    public internal(set) var nilClass: RClass!
    public internal(set) var trueClass: RClass!
    public internal(set) var falseClass: RClass!
    public internal(set) var exceptionClass: RClass!
    public internal(set) var scriptErrorClass: RClass!
    public internal(set) var syntaxErrorClass: RClass!
    public internal(set) var standardErrorClass: RClass!
    public internal(set) var runtimeErrorClass: RClass!
    public internal(set) var nameErrorClass: RClass!
    public internal(set) var noMethodErrorClass: RClass!
    public internal(set) var zeroDivisionErrorClass: RClass!
    public internal(set) var typeErrorClass: RClass!
    public internal(set) var argumentErrorClass: RClass!
    /// Integer overflow raises RangeError "integer overflow" (Ruby itself would promote to Bignum).
    public internal(set) var rangeErrorClass: RClass!
    public internal(set) var indexErrorClass: RClass!
    public internal(set) var localJumpErrorClass: RClass!
    public internal(set) var systemStackErrorClass: RClass!
    /// Internal class of `RThrow` objects (not a constant).
    var throwClass: RClass!
    public internal(set) var mainObject: Value = .nil
    var topCref: Cref!
    /// 1 while the specialised instructions' fast paths are valid; 0 once a program redefines or removes
    /// one of their operations (`+`, `<`, `[]`, ... on Integer, Array or String), after which every
    /// specialised instruction takes the generic send. JIT code must check it too (or listen for the
    /// method change, which is reported as usual).
    public internal(set) var basicOperationsMask: UInt64 = 1
    var booted = false
    /// Whether the object collector may run while a JIT is installed (`collectGarbage`). True for
    /// `GuestJIT`: its code keeps every Value in VM memory (operand-stack slots, frames) at each point
    /// where a collection can run: interpreter safepoints, and its own interrupt checks and helper calls,
    /// which save the frame's pc and sp first. A JIT that keeps Values only in machine registers or
    /// native frames across such points must clear it.
    public var collectsWithJIT = true
    static let basicOperationNames: Set<String> = ["+", "-", "*", "/", "%", "<", "<=", ">", ">=", "==", "!=",
                                                   "[]", "[]=", "<<", "size"]
    /// Arrays being inspected right now by the calling thread (recursion shows as `[...]`).
    var inspecting: Set<UInt64> {
        _read { yield currentMutator.inspecting }
        _modify { yield &currentMutator.inspecting }
    }
    /// The prelude program (owns the prelude methods' ISEQs through its children).
    var preludeISeq: ISeq?

    /// The execution context of the thread that created the VM.
    public private(set) var mainContext: ExecutionContext!

    let ids: CommonIDs

    public init(options: VMOptions = VMOptions(), output: OutputBuffer = OutputBuffer()) {
        self.options = options
        self.output = output
        self.ids = CommonIDs(symbols)
        api = .allocate(capacity: 1)
        api.initialize(to: GuestAPI.makeTable())
        safepoints.register(mainMutator)
        heap.thresholdReached = { [unowned safepoints] in safepoints.requestCollection() }
        bootstrapClasses()
        mainContext = makeExecutionContext()
        mainContext.mutator = mainMutator
        Builtins.install(in: self)
        Prelude.load(into: self)
        booted = true
    }

    deinit {
        // The JIT goes first, while everything it may look at is still here; its code region is unmapped
        // then (unless someone else holds the JIT: it is detached either way). ISEQs die after it.
        jit?.vmWillDeinit()
        jitBox?.release()  // (`jit`'s didSet does not run in deinit)
        jitBox = nil
        jit = nil
        methodObservers.removeAll()
        api.deallocate()
    }

    /// A new execution context registered with the VM (so its frames are enumerable).
    /// Multi-threaded, the list changes under the VM lock and is read with the world stopped.
    public func makeExecutionContext(stackCapacity: Int = 4 << 20, frameCapacity: Int = 300_000) -> ExecutionContext {
        let ec = ExecutionContext(vm: self, stackCapacity: stackCapacity, frameCapacity: frameCapacity)
        withVMLock { executionContexts.append(ec) }
        return ec
    }

    /// Forgets a finished context (a fiber or thread that ended) so its frames are no longer walked.
    public func removeExecutionContext(_ ec: ExecutionContext) {
        withVMLock {
            executionContexts.removeAll { $0 === ec }
            jit?.contextEnded(ec)
        }
    }

    /// Switches the VM to multi-threaded operation (before the first guest thread starts).
    func becomeMultithreaded() {
        guard !isMultithreaded else { return }
        symbols.isShared = true
        heap.isShared = true
        output.isShared = true
        globalsLock.isShared = true
        callCacheFillLock.isShared = true
        isMultithreaded = true
    }

    /// Calls `body` for every frame of every execution context.
    public func forEachFrame(_ body: (ExecutionContext, UnsafeMutablePointer<ControlFrame>) -> Void) {
        for ec in executionContexts { ec.forEachFrame { body(ec, $0) } }
    }

    public func addMethodObserver(_ observer: MethodChangeObserver) {
        methodObservers.append(observer)
    }

    // MARK: Class of a value

    /// `Unmanaged<RClass>` pointers of the classes of immediates (the inline-cache check needs no ARC).
    var integerClassPointer: UnsafeMutableRawPointer!
    var symbolClassPointer: UnsafeMutableRawPointer!
    var nilClassPointer: UnsafeMutableRawPointer!
    var trueClassPointer: UnsafeMutableRawPointer!
    var falseClassPointer: UnsafeMutableRawPointer!
    var arrayClassPointer: UnsafeMutableRawPointer!

    /// The class of `v` as a raw `Unmanaged<RClass>` pointer, without touching reference counts.
    @inline(__always)
    public func classPointer(_ v: Value) -> UnsafeMutableRawPointer {
        if v.isFixnum { return integerClassPointer }
        if v.isHeapObject {
            return UnsafeRawPointer(bitPattern: UInt(v.raw)).unsafelyUnwrapped
                .load(fromByteOffset: HeapObject.klassOffset, as: UnsafeMutableRawPointer.self)
        }
        if v.isSymbol { return symbolClassPointer }
        switch v {
        case .nil: return nilClassPointer
        case .true: return trueClassPointer
        default: return falseClassPointer
        }
    }

    @inline(__always)
    public func classOf(_ v: Value) -> RClass {
        if v.isFixnum { return integerClass }
        if v.isHeapObject { return v.object.klass }
        if v.isSymbol { return symbolClass }
        switch v {
        case .nil: return nilClass
        case .true: return trueClass
        default: return falseClass
        }
    }

    /// The class `obj.class` returns.
    public func realClassOf(_ v: Value) -> RClass { classOf(v).nonMetaclass }

    // MARK: Crefs

    func cref(_ klass: RClass, parent: Cref?) -> Cref {
        withVMLock {
            let classKey = Int(bitPattern: UInt(bitPattern: ObjectIdentifier(klass)))
            let parentKey = parent.map { Int(bitPattern: UInt(bitPattern: ObjectIdentifier($0))) } ?? 0
            if let c = crefs[classKey]?[parentKey] { return c }
            let c = Cref(klass: klass, parent: parent)
            crefs[classKey, default: [:]][parentKey] = c
            return c
        }
    }
}

/// Run-time options (the JIT extends them with its own flags).
public struct VMOptions: Sendable {
    /// Value-stack capacity (values) and frame capacity of the main execution context.
    public var stackCapacity = 4 << 20
    public var frameCapacity = 300_000
    public init() {}
}

/// Symbol ids the interpreter needs often.
struct CommonIDs {
    let initialize, toS, inspect, plus, minus, mult, div, mod, lt, le, gt, ge, eq, neq, aref, aset, ltlt,
        size, not, message, call, methodMissing: Int
    init(_ s: SymbolTable) {
        initialize = s.id("initialize"); toS = s.id("to_s"); inspect = s.id("inspect")
        plus = s.id("+"); minus = s.id("-"); mult = s.id("*"); div = s.id("/"); mod = s.id("%")
        lt = s.id("<"); le = s.id("<="); gt = s.id(">"); ge = s.id(">="); eq = s.id("=="); neq = s.id("!=")
        aref = s.id("[]"); aset = s.id("[]="); ltlt = s.id("<<"); size = s.id("size"); not = s.id("!")
        message = s.id("message"); call = s.id("call"); methodMissing = s.id("method_missing")
    }
}
