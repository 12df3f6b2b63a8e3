import CodeGC
import CodeMemory
import CShims
import GuestVM
import X86Assembler

/// The baseline JIT: compiles method ISEQs lazily, block by block (versions keyed by a small type
/// context), into CodeGC-managed pages, and runs them inside the entry trampoline. See `JITCompiler` for
/// the seam with the interpreter.
///
/// ## Calls
/// Every send goes through one helper (`VM.jitSend`, the interpreter's own inline-cached lookup): the
/// callee is never baked into the caller's code, so redefining a method never invalidates its callers,
/// and a churn loop does not recompile. A callee ISEQ frame gets `jitReturn` = the caller's return point
/// and JIT code jumps to the callee's entry (or leaves to the interpreter, which resumes the caller's
/// code through `resume` when the callee returns). A send site whose call cache matches pushes the callee
/// frame without the helper (`SharedCode.emitCachedSend`) and keeps its return address on the native
/// stack, so the callee's `leave` returns with a `ret` the CPU predicts; when that pairing cannot be
/// proven (helper-pushed callee, re-entry after a side exit, `JIT.discard_all`) it returns through
/// `jitReturn` (`BlockCompiler.emitLeave`, stat `indirect_return_count`).
///
/// ## Return points
/// After every helper call that may re-enter the VM, and at every `jitReturn`, the code continues through
/// a patchable jump registered with CodeGC as a ``ReturnPoint``: if the block was invalidated meanwhile
/// (the method removed or redefined itself), the jump goes to an exit that resumes the interpreter at the
/// next instruction.
public final class GuestJIT: JITCompiler {
    /// Not retained: the VM owns its JIT (`VM.jit`, as a method observer) and tells it when it goes
    /// (`vmWillDeinit`); a strong reference here kept every VM with a JIT alive for ever. Optimized code
    /// retains and releases the VM around most uses of this (as it would an `unowned(unsafe)` one): the
    /// helpers JIT code calls reach it through `withVM` instead.
    public var vm: VM {
        @inline(__always) get { unsafeBitCast(vmPointer, to: VM.self) }
    }
    private let vmPointer: UnsafeMutableRawPointer
    /// Calls `body` with the VM borrowed. Through `vm` (an owned value) a call into the VM that the
    /// optimizer cannot see through is bracketed by a retain and a release of the VM: two atomic updates on
    /// every helper send and every interpreted callee (measured: 2 -> 8 retain/release calls in the send
    /// helper when `vm` stopped being a stored `let`). The VM owns the JIT, so it outlives any helper.
    @inline(__always)
    func withVM<T>(_ body: (VM) -> T) -> T {
        Unmanaged<VM>.fromOpaque(vmPointer)._withUnsafeGuaranteedRef(body)
    }
    /// The VM's safepoints (no reference back to the VM): the JIT's deinit unregisters its interrupt flag
    /// there, and its statistics read them, without touching the VM, which may be gone by then.
    let safepoints: Safepoints
    /// Set when the VM began to deinitialize (`vmWillDeinit`): from then on only the JIT's own state (its
    /// statistics, collector and region) may be read; it compiles and runs nothing more.
    private(set) var vmIsGone = false
    public let configuration: JITConfiguration
    public let region: CodeRegion
    public let gc: CodeGC
    public var callThreshold: Int { configuration.callThreshold }

    /// The runtime block of the VM's creating thread; every other guest thread gets its own
    /// (`GuestJIT+Threads.swift`), and `runtime` is the current thread's.
    let mainRuntime = RuntimeBlock()
    /// Runtime blocks of other threads' contexts (their serials are bumped together).
    var threadRuntimes: [UnsafeMutableRawPointer] = []
    let shared: SharedCode
    /// The page new code and stubs go to (held while current).
    var currentPage: Int? {
        didSet { if currentPage != oldValue { currentPageChanges &+= 1 } }
    }
    /// Times `currentPage` changed (with the region's freed pages, when room for code may have appeared).
    var currentPageChanges = 0
    /// Inline and outlined bytes of the last block placed: the room the next one probably needs.
    var lastPlacedSize = (inline: 0, outlined: 0)
    /// Per-owner state (compiled versions among it), by owner id and by name; an ISEQ reaches its own
    /// record through `jitPayload`.
    var owners = OwnerDirectory()
    /// Where each return point's exit resumes: jump address -> (instruction address, stack depth, ISEQ locals).
    var returnExits: [UInt: ReturnExitInfo] = [:]
    var counters = JITCounters()
    var gcBusy = false
    /// Collects before a compilation once enough code became unreachable (see `UnreachableCodeTrigger`).
    var unreachableCode = UnreachableCodeTrigger()
    /// Mark passes of code collections so far (an interrupt poll that parked compares it).
    var codeCollections = 0
    /// Object literals of dead ISEQs whose code is not freed yet (see `forEachObjectRoot`).
    var retiredLiterals: [CodeOwnerID: [Value]] = [:]
    /// Owners whose ISEQ is alive (the unreachable-code budget scales with them).
    var liveOwnerCount = 0
    /// Method bodies compiled once for every ISEQ with the same bytecode (see `SharedBodies`).
    var sharedBodies = SharedBodies()
    /// Set by a compilation for sharing that found its block not shareable (rather than without room).
    var sharingRefused = false
    /// Call caches of compiled send sites, by call site (see `CallCache`).
    var callCaches: [UInt: UnsafeMutableRawPointer] = [:]
    /// Buffers of finished compilations (assemblers among them), reused so a compilation allocates none.
    var compileScratch = CompileScratch()
    /// How ISEQ-death callbacks reach the JIT (cleared when it dies).
    let handle = JITHandle()
    /// The collector's roots and code factory (forwarding to the JIT; see `CodeGCClient` for why not `self`).
    private(set) lazy var codeGCClient = CodeGCClient(jit: self)
    /// Symbol ids of ``assumedOperators`` (a redefinition is checked without hashing its name).
    let assumedOperatorIDs: [Int]
    /// Tools told of compilations and collections (`jitstack`'s views, perf map, GDB); see `JITObserver`.
    public weak var observer: (any JITObserver)?

    /// What the JIT keeps per owner (one per compiled ISEQ). A class, so one lookup reaches it for every
    /// later read and write; versions are short lists (a method has a handful of blocks) searched linearly
    /// rather than a dictionary per owner, which a churn of tiny methods would allocate and hash each time.
    final class OwnerRecord {
        /// ``OwnerDirectory/unregistered`` until the ISEQ compiles code of its own.
        var id: CodeOwnerID
        unowned(unsafe) let iseq: ISeq
        /// The method name's symbol id (for `ownersByName`), nil for other ISEQs.
        let nameID: Int?
        var alive = true
        /// Times the collector evicted this ISEQ's code (each doubles its wait before recompilation).
        var evictions = 0
        /// Blocks that found no room: block key -> ``GuestJIT/roomGeneration`` then (see `BlockPlacement`).
        var placementFailures = SmallList<(key: UInt64, generation: Int)>()

        /// Whether the block `key` found no room and none has appeared since.
        func placementFailed(_ key: UInt64, at generation: Int) -> Bool {
            placementFailures.first { $0.key == key }?.generation == generation
        }

        /// Notes that the block `key` found no room at `generation` (nil: it was placed).
        func notePlacementFailure(_ key: UInt64, at generation: Int?) {
            guard let generation else { return placementFailures.removeFirst { $0.key == key } }
            if !placementFailures.updateFirst(where: { $0.key == key }, { $0.generation = generation }) {
                placementFailures.append((key, generation))
            }
        }
        var returnPoints: [UInt] = []
        /// Call sites (of this ISEQ) that have a call cache: their buffer dies with the ISEQ.
        var callSites: [UInt] = []
        /// Call caches of this dead ISEQ's sites: its code may still name them until the collector frees
        /// that code (`codeGC(_:didFreeAllCodeOf:)` deallocates them).
        var retiredCallCaches: [UnsafeMutableRawPointer] = []
        /// Compiled versions that were live when last looked at: block key -> block.
        var versions = SmallList<(key: UInt64, block: BlockID)>()
        /// The ISEQ's object literals (its code embeds them): roots while its code exists, after its death.
        let literals: [Value]
        /// Versions compiled per instruction, to cap versioning.
        var versionCounts = SmallList<(pc: Int, count: Int)>()
        /// The shared body whose code is this ISEQ's entry (it then has no versions of its own).
        var sharedBody: SharedBody?
        /// Whether compiling this ISEQ for sharing failed (it is not tried again).
        var unshareable = false
        /// Whether CodeGC knows this owner (it compiled code of its own): a shared body's user alone does not.
        var hasOwnCode = false

        init(id: CodeOwnerID, iseq: ISeq, nameID: Int?) {
            self.id = id
            self.iseq = iseq
            self.nameID = nameID
            literals = iseq.objectLiterals
        }

        func version(_ key: UInt64) -> BlockID? {
            versions.first { $0.key == key }?.block
        }

        func setVersion(_ key: UInt64, _ block: BlockID?) {
            guard let block else { return versions.removeFirst { $0.key == key } }
            if !versions.updateFirst(where: { $0.key == key }, { $0.block = block }) { versions.append((key, block)) }
        }

        func versionCount(at pc: Int) -> Int {
            versionCounts.first { $0.pc == pc }?.count ?? 0
        }

        func countVersion(at pc: Int) {
            if !versionCounts.updateFirst(where: { $0.pc == pc }, { $0.count += 1 }) { versionCounts.append((pc, 1)) }
        }

        /// Forgets every version (the owner's code was invalidated or its entry removed).
        func clearVersions() {
            versions.removeAll()
            versionCounts.removeAll()
        }
    }

    struct ReturnExitInfo {
        var pc: UnsafeMutablePointer<Int>
        var spDisplacement: Int32
    }

    /// Creates the JIT's region (registered with libunwind before any code runs), its shared code and its
    /// collector, and plugs into `vm` (`vm.jit`, method-change observer, ISEQ deaths).
    public init(vm: VM, configuration: JITConfiguration = JITConfiguration()) throws(JITStartError) {
        vmPointer = Unmanaged.passUnretained(vm).toOpaque()
        safepoints = vm.safepoints
        self.configuration = configuration
        assumedOperatorIDs = Self.assumedOperators.map { vm.symbols.id($0) }
        do {
            region = try CodeRegion(CodeRegionConfiguration(
                regionSize: configuration.regionSize, pageSize: configuration.pageSize,
                outlinedHeadroom: BlockCompiler.outlinedReserve))
        } catch {
            throw JITStartError(description: "cannot create the code region: \(error)")
        }
        var policy = CollectionPolicy()
        policy.collects = configuration.codeGC
        gc = CodeGC(space: region, configuration: CodeGCConfiguration(policy: policy))
        do {
            guard let page = try gc.allocatePage() else { throw JITStartError(description: "the code region has no page") }
            shared = try SharedCode(region: region, page: page)
        } catch let error as JITStartError {
            throw error
        } catch {
            throw JITStartError(description: "cannot generate the JIT entry code: \(error)")
        }
        handle.jit = self
        mainRuntime.word(RuntimeBlock.jit).pointee = UInt64(UInt(bitPattern: Unmanaged.passUnretained(self).toOpaque()))
        vm.mainContext.jitRuntime = mainRuntime.base
        vm.safepoints.addInterruptFlag(mainRuntime.word(RuntimeBlock.interrupt))
        gc.roots = codeGCClient
        gc.codeFactory = codeGCClient
        vm.jit = self
        vm.addMethodObserver(self)
        vm.iseqs.observeDeathsWithPayload { [handle] _, payload in
            if let payload { handle.jit?.iseqDied(unsafeDowncast(payload, to: OwnerRecord.self)) }
        }
        JITModule.install(in: vm)
    }

    deinit {
        handle.jit = nil
        // The collector may outlive the JIT (anyone may hold `gc`): it must not call into a dead JIT.
        gc.roots = nil
        gc.codeFactory = nil
        safepoints.removeInterruptFlag(mainRuntime.word(RuntimeBlock.interrupt))
        mainRuntime.base.deallocate()
        for block in threadRuntimes {
            safepoints.removeInterruptFlag(RuntimeBlock(base: block).word(RuntimeBlock.interrupt))
            block.deallocate()
        }
        // Call caches are plain memory JIT code reads: live ones by call site, dead ISEQs' until their code
        // is freed (which, with the region unmapped now, will never be reported).
        for cache in callCaches.values { cache.deallocate() }
        owners.forEach { record in
            for cache in record.retiredCallCaches { cache.deallocate() }
        }
        // Shared bodies and their users' records name each other; ISEQ deaths unlink them, but not once
        // the VM is going (`vmWillDeinit`). The records die with their ISEQs.
        for body in sharedBodies.all {
            for user in body.users { user.sharedBody = nil }
            body.users.removeAll()
            body.evictedUsers.removeAll()
        }
    }

    public func vmWillDeinit() {
        // ISEQs die with the VM: their deaths must not reach the JIT, which could not take the VM's lock.
        handle.jit = nil
        vmIsGone = true
    }

    // MARK: JITCompiler

    public func compile(_ iseq: ISeq, ec: ExecutionContext) {
        withVM { vm in vm.withVMLock { compileLocked(iseq) } }
    }

    /// Compilation changes shared JIT state and may collect: under the VM lock.
    func compileLocked(_ iseq: ISeq) {
        // JIT code fires no TracePoint events (see `tracingDidStart`).
        guard iseq.kind == .method, iseq.jitEntry == nil, vm.traceEvents == 0 else { return }
        if unreachableCode.isDue && configuration.codeGC { collect() }
        let record = ownerRecord(for: iseq)
        if configuration.sharesCode {
            switch enterSharedBody(iseq, record) {
            case .entered:
                counters.compiledISeqs += 1
                return
            case .noRoom:
                // As below: the ISEQ's own compilation would not find room either.
                iseq.callCount = -max(configuration.evictionBackoff, 1)
                return
            case .notShareable:
                break
            }
        }
        if record.id == OwnerDirectory.unregistered { owners.register(record) }
        let owner = record.id
        guard let block = compileBlock(iseq, owner: owner, pc: 0, context: TypeContext(depth: 0)) else {
            // No room: keep interpreting, try again after the eviction backoff (each failed try is also
            // activity on the collector's clock: code waiting for room ages the code that is in).
            iseq.callCount = -max(configuration.evictionBackoff, 1)
            return
        }
        do {
            try gc.setEntry(block)
        } catch {
            return
        }
        iseq.jitEntry = UnsafeRawPointer(bitPattern: gc.entryAddress(of: block)!)
        counters.compiledISeqs += 1
    }

    public func enter(_ iseq: ISeq, ec: ExecutionContext) -> JITExit {
        // A thread's first entry attaches its runtime block under the VM lock, and waiting for the lock
        // parks it: a collection may free the entry meanwhile. Read the entry only after that.
        if ec.jitRuntime == nil { _ = attachRuntime(ec) }
        guard let entry = iseq.jitEntry else { return .interpret }
        return run(ec, at: UInt(bitPattern: entry))
    }

    public func resume(at jitReturn: UnsafeRawPointer, value: Value, ec: ExecutionContext) -> JITExit? {
        run(ec, at: UInt(bitPattern: jitReturn))
    }

    /// Runs JIT code at `address` for `ec.cfp` until it leaves.
    func run(_ ec: ExecutionContext, at address: UInt) -> JITExit {
        let runtime = RuntimeBlock(base: ec.jitRuntime ?? attachRuntime(ec))
        runtime.word(RuntimeBlock.jitEntries).pointee &+= 1
        // `runtime` answers the main block when the thread-local one is unset: entries with it (the VM's
        // creating thread, its fibers) leave the thread-local alone, two C calls less per entry, which
        // every return from an interpreted callee into JIT code makes.
        let isMain = runtime.base == mainRuntime.base
        let outerRuntime = isMain ? nil : jr_tls_get(Int32(JR_TLS_JIT_RUNTIME))
        if !isMain { jr_tls_set(Int32(JR_TLS_JIT_RUNTIME), runtime.base) }
        defer { if !isMain { jr_tls_set(Int32(JR_TLS_JIT_RUNTIME), outerRuntime) } }
        let savedEC = runtime.word(RuntimeBlock.ec).pointee
        let savedStackLimit = runtime.word(RuntimeBlock.stackLimit).pointee
        let savedFrameLimit = runtime.word(RuntimeBlock.frameLimit).pointee
        let savedNativeStackLimit = runtime.word(RuntimeBlock.nativeStackLimit).pointee
        Self.install(ec, in: runtime)
        let status = shared.trampoline(runtime.base, UnsafeMutableRawPointer(ec.cfp), address)
        runtime.word(RuntimeBlock.ec).pointee = savedEC
        runtime.word(RuntimeBlock.stackLimit).pointee = savedStackLimit
        runtime.word(RuntimeBlock.frameLimit).pointee = savedFrameLimit
        runtime.word(RuntimeBlock.nativeStackLimit).pointee = savedNativeStackLimit
        let cfp = UnsafeMutablePointer<ControlFrame>(bitPattern: UInt(runtime.word(RuntimeBlock.cfp).pointee))!
        // The frames cached calls pushed since the last helper call, for the interpreter.
        IncompleteFrames.complete(cfp)
        ec.cfp = cfp
        if status == 1 {
            let thrown = pendingRaise
            pendingRaise = .undef
            return .raise(thrown)
        }
        return .interpret
    }

    /// Points `runtime`'s context and stack-limit words at `ec`, the context whose frames the JIT code
    /// about to run (or continue) belongs to.
    @inline(__always)
    static func install(_ ec: ExecutionContext, in runtime: RuntimeBlock) {
        runtime.word(RuntimeBlock.ec).pointee = UInt64(UInt(bitPattern: ec.opaque))
        runtime.word(RuntimeBlock.stackLimit).pointee = UInt64(UInt(bitPattern: ec.stackBase + (ec.stackCapacity - 64)))
        runtime.word(RuntimeBlock.frameLimit).pointee = UInt64(UInt(bitPattern: ec.frameBase + (ec.frameCapacity - 1)))
        runtime.word(RuntimeBlock.nativeStackLimit).pointee = UInt64(ec.nativeStackLimit)
    }

    // MARK: Owners

    /// The JIT's record of `iseq`, made on first use (kept in the ISEQ's `jitPayload`, which only the JIT
    /// sets).
    func ownerRecord(for iseq: ISeq) -> OwnerRecord {
        if let payload = iseq.jitPayload { return unsafeDowncast(payload, to: OwnerRecord.self) }
        let nameID = iseq.kind != .method ? nil : iseq.nameSymbolID >= 0 ? iseq.nameSymbolID : vm.symbols.id(iseq.name)
        let record = OwnerRecord(id: OwnerDirectory.unregistered, iseq: iseq, nameID: nameID)
        owners.listName(record)
        liveOwnerCount += 1
        iseq.jitPayload = record
        return record
    }

    /// `record`'s ISEQ is being deinitialized (called from its deinit with its payload).
    func iseqDied(_ record: OwnerRecord) {
        vm.withVMLock { iseqDiedLocked(record) }
    }

    private func iseqDiedLocked(_ record: OwnerRecord) {
        guard record.alive else { return }
        let owner = record.id
        record.alive = false
        // A new ISEQ may reuse the call-site buffer's address: its sites must not inherit these caches
        // (the records stay allocated while dead code may still name them, though it can never run again).
        for site in record.callSites {
            guard let cache = callCaches.removeValue(forKey: site) else { continue }
            cache.storeBytes(of: UInt64.max, toByteOffset: CallCache.serial, as: UInt64.self)
            record.retiredCallCaches.append(cache)
        }
        record.callSites.removeAll()
        detachSharedBody(record)
        unreachableCode.noteUnreachable(record.versions.count)
        liveOwnerCount -= 1
        // No code of its own (none compiled, or a shared body's): nothing names its literals or call caches.
        if !record.hasOwnCode { return forgetDeadOwner(record) }
        if !record.literals.isEmpty { retiredLiterals[owner] = record.literals }
        owners.forgetName(of: record)
        // Its entries stop being roots: a call cache elsewhere that still holds one must go stale now, or
        // the next collection frees code that a cached call (serial unchanged) would still jump to.
        if gc.hasEntries(owner) { bumpCallCacheSerial() }
        // With no code left, nothing will report the owner freed: forget it now.
        if !gc.removeEntries(of: owner) { forgetDeadOwner(record) }
        record.clearVersions()
    }

    /// Drops a dead owner's record, its return-exit notes, call caches and literals (its code is all freed).
    func forgetDeadOwner(_ record: OwnerRecord) {
        for address in record.returnPoints { returnExits[address] = nil }
        record.returnPoints.removeAll()
        // No code names the dead ISEQ's call caches or object literals any more.
        for cache in record.retiredCallCaches { cache.deallocate() }
        record.retiredCallCaches.removeAll()
        // Only an owner with literals has an entry (most tiny methods have none: no hashing for them).
        if !record.literals.isEmpty { retiredLiterals[record.id] = nil }
        owners.remove(record)
    }

    /// The ISEQ running in `cfp` (JIT code only runs ISEQ frames).
    @inline(__always)
    func iseq(of cfp: UnsafeMutablePointer<ControlFrame>) -> ISeq {
        Unmanaged<ISeq>.fromOpaque(cfp.pointee.iseq!).takeUnretainedValue()
    }
}

/// Lets the ISEQ-death callback (a `@Sendable` closure; ISEQs die on the VM's own thread) reach the JIT.
/// Not `weak`: a weakly referenced object's every retain takes Swift's slow side-table path, and the JIT is
/// retained on every helper call; the JIT clears it in `deinit` instead.
final class JITHandle: @unchecked Sendable {
    unowned(unsafe) var jit: GuestJIT?
}
