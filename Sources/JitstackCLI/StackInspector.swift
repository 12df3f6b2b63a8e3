import CShims
import CodeGC
import GuestJIT
import GuestVM

/// Reads every execution context's stacks into a ``StackDump``: VM frames from the frame stacks (with
/// their `jit_return`s), native frames with libunwind (the running context from here, suspended fibers
/// from their saved contexts), each native frame classified and named. Runs only at safepoints, on the
/// thread that runs the VM (`JIT.dump_stack`, a SIGUSR1 request, a code GC).
final class StackInspector {
    let vm: VM
    /// Unowned, not weak: a weakly referenced JIT would take Swift's slow reference counting on every
    /// retain (it is retained on every send). The JIT outlives the session's inspectors.
    unowned let jit: GuestJIT?
    let symbolizer = NativeSymbolizer()
    /// Frames listed per context and kind; the rest are counted.
    var frameLimit = 64
    private var dumpCount = 0
    private var buffer = UnsafeMutablePointer<jr_native_frame>.allocate(capacity: 4096)
    private let capacity = 4096

    init(vm: VM, jit: GuestJIT?) {
        self.vm = vm
        self.jit = jit
    }

    deinit { buffer.deallocate() }

    /// The stacks of every execution context now; `current` is the one running this call.
    func dump(trigger: String, current: ExecutionContext, blocks: CompiledBlockTable) -> StackDump {
        dumpCount += 1
        var contexts: [ContextStack] = []
        let currentLabel = vm.fiberState(of: current) != nil ? "fiber" : vm.isOnMainThread ? "main" : "thread"
        contexts.append(readContext(current, label: currentLabel, state: "running", native: walkCurrent(), blocks: blocks))
        var seen: Set<ObjectIdentifier> = [ObjectIdentifier(current)]
        // Other threads, parked at safepoints while the world is stopped for this dump.
        vm.forEachParkedThreadStack { ec, context, stack, isMain in
            if let ec { seen.insert(ObjectIdentifier(ec)) }
            let native = walkSaved(context, stack: stack)
            let label = isMain ? (ec.flatMap { vm.fiberState(of: $0) } != nil ? "fiber" : "main") : "thread"
            if let ec {
                contexts.append(readContext(ec, label: label, state: "parked", native: native, blocks: blocks))
            } else {
                var stackOnly = readContext(vm.mainContext, label: label, state: "parked", native: native, blocks: blocks)
                stackOnly.vmFrames = []
                stackOnly.omittedVMFrames = 0
                contexts.append(stackOnly)
            }
        }
        vm.forEachSuspendedFiberStack { ec, context, stack in
            seen.insert(ObjectIdentifier(ec))
            contexts.append(readContext(ec, label: "fiber", state: "suspended",
                                        native: walkSaved(context, stack: stack), blocks: blocks))
        }
        // Contexts with frames but no native stack of their own to read here (a fiber that resumed
        // another, a thread once threads exist): their VM frames still say what they run.
        for ec in vm.executionContexts where !seen.contains(ObjectIdentifier(ec)) && ec.frameCount > 0 {
            let fiberState = vm.fiberState(of: ec)
            let label = fiberState != nil ? "fiber" : ec === vm.mainContext ? "main" : "context"
            // A context below the running fiber on this thread waits in `resume`; its native frames are
            // the thread's stack under the fiber's, not read here.
            let state = fiberState == "running" || (fiberState == nil && ec === vm.mainContext) ? "waiting (resumed a fiber)"
                : fiberState ?? "not running"
            contexts.append(readContext(ec, label: label, state: state, native: nil, blocks: blocks))
        }
        return StackDump(trigger: trigger, number: dumpCount, contexts: contexts)
    }

    /// A native walk: the frames' instruction pointers (frame 0 of a saved context is its pc, every other
    /// one a return address) and how the stack was read.
    private struct NativeWalk {
        var addresses: [UInt]
        var firstIsPC: Bool
        var mode: String
    }

    private func walkCurrent() -> NativeWalk {
        let result = jr_unwind_walk_current(buffer, capacity, 0)
        if result.count > 0 && result.end != JR_WALK_FAILED {
            var addresses = (0..<result.count).map { buffer[$0].ip }
            // Leave out this tool's own frames (the dump machinery) at the top.
            while let first = addresses.first, symbolizer.symbol(at: first &- 1).name?.contains("JitstackCLI.") == true {
                addresses.removeFirst()
            }
            return NativeWalk(addresses: addresses, firstIsPC: false, mode: "precise")
        }
        var low: UInt = 0, high: UInt = 0
        guard jr_current_thread_stack_bounds(&low, &high) == 0 else { return NativeWalk(addresses: [], firstIsPC: false, mode: "none") }
        var marker: UInt = 0
        let sp = withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
        return NativeWalk(addresses: scan(sp..<high), firstIsPC: false, mode: "conservative")
    }

    private func walkSaved(_ context: UnsafeMutableRawPointer, stack: Range<UInt>) -> NativeWalk {
        let result = jr_unwind_walk_context(context.assumingMemoryBound(to: ucontext_t.self), buffer, capacity, 0)
        if result.count > 0 && result.end != JR_WALK_FAILED {
            return NativeWalk(addresses: (0..<result.count).map { buffer[$0].ip }, firstIsPC: true, mode: "precise")
        }
        return NativeWalk(addresses: scan(stack), firstIsPC: false, mode: "conservative")
    }

    /// Stack words pointing into the code region (what a conservative scan keeps).
    private func scan(_ stack: Range<UInt>) -> [UInt] {
        guard let jit, let words = UnsafePointer<UInt>(bitPattern: (stack.lowerBound + 7) & ~7) else { return [] }
        let count = Int(stack.upperBound - ((stack.lowerBound + 7) & ~7)) / 8
        var found: [UInt] = []
        for index in 0..<max(count, 0) where jit.region.contains(returnAddress: words[index]) { found.append(words[index]) }
        return found
    }

    private func readContext(_ ec: ExecutionContext, label: String, state: String, native: NativeWalk?,
                             blocks: CompiledBlockTable) -> ContextStack {
        var pinned = Set<Int>()
        var vmFrames: [VMFrame] = []
        var vmTotal = 0
        ec.forEachFrame { frame in
            vmTotal += 1
            let location = frame.pointee.jitReturn.flatMap { locate(UInt(bitPattern: $0), isReturnAddress: false, blocks: blocks) }
            if let page = location?.page { pinned.insert(page) }
            guard vmFrames.count < frameLimit else { return }
            vmFrames.append(describe(frame, index: vmFrames.count, jitReturn: location))
        }
        var nativeFrames: [NativeFrame] = []
        var nativeTotal = 0
        if let native {
            for (index, address) in native.addresses.enumerated() {
                nativeTotal += 1
                let isReturn = !(index == 0 && native.firstIsPC)
                if let location = locate(address, isReturnAddress: isReturn, blocks: blocks) {
                    if let page = location.page { pinned.insert(page) }
                    if nativeFrames.count < frameLimit {
                        nativeFrames.append(NativeFrame(index: index, address: address, kind: "JIT", symbol: nil, offset: 0,
                                                        object: nil, jit: location))
                    }
                    continue
                }
                guard nativeFrames.count < frameLimit else { continue }
                let symbol = symbolizer.symbol(at: isReturn ? address &- 1 : address)
                nativeFrames.append(NativeFrame(index: index, address: address, kind: symbol.kind.rawValue, symbol: symbol.name,
                                                offset: symbol.offset &+ (isReturn ? 1 : 0), object: symbol.object, jit: nil))
            }
        }
        return ContextStack(label: label, state: state, walk: native?.mode ?? "none", nativeFrames: nativeFrames,
                            omittedNativeFrames: nativeTotal - nativeFrames.count, vmFrames: vmFrames,
                            omittedVMFrames: vmTotal - vmFrames.count, pinnedPages: pinned.sorted())
    }

    private func describe(_ frame: UnsafeMutablePointer<ControlFrame>, index: Int, jitReturn: JITLocation?) -> VMFrame {
        let type: String
        switch frame.pointee.type {
        case .top: type = "top"
        case .method: type = "method"
        case .block: type = "block"
        case .classBody: type = "class"
        case .eval: type = "eval"
        case .cfunc: type = "cfunc"
        }
        if let raw = frame.pointee.iseq {
            let iseq = Unmanaged<ISeq>.fromOpaque(raw).takeUnretainedValue()
            var pc: Int?
            if let current = frame.pointee.pc, current >= iseq.code, current < iseq.code + iseq.codeCount {
                pc = current - iseq.code
            }
            return VMFrame(index: index, type: type, name: iseq.name, file: iseq.fileName,
                           line: pc.map { iseq.line(at: $0) }, pc: pc, jitReturn: jitReturn)
        }
        let name = frame.pointee.methodEntry.map { Unmanaged<MethodEntry>.fromOpaque($0).takeUnretainedValue().name } ?? "?"
        return VMFrame(index: index, type: type, name: name, file: nil, line: nil, pc: nil, jitReturn: jitReturn)
    }

    /// Pages any stack returns into now: every VM frame's `jit_return`, the calling thread's native return
    /// addresses, suspended fibers' native stacks. Cheaper than ``dump(trigger:current:blocks:)`` (no names).
    func pinnedPages() -> Set<Int> {
        guard let jit else { return [] }
        var pages = Set<Int>()
        func add(_ address: UInt, isReturnAddress: Bool) {
            let code = isReturnAddress ? address &- 1 : address
            if jit.region.contains(address: code), let page = jit.gc.page(of: code) { pages.insert(page) }
        }
        vm.forEachFrame { _, frame in
            if let target = frame.pointee.jitReturn { add(UInt(bitPattern: target), isReturnAddress: false) }
        }
        var addresses = [UnsafeMutableRawPointer?](repeating: nil, count: capacity)
        let count = Int(addresses.withUnsafeMutableBufferPointer { jr_unwind_backtrace($0.baseAddress, Int32(capacity)) })
        for index in 0..<max(count, 0) { add(UInt(bitPattern: addresses[index]), isReturnAddress: true) }
        vm.forEachSuspendedFiberStack { _, context, stack in
            let walk = walkSaved(context, stack: stack)
            for (index, address) in walk.addresses.enumerated() {
                add(address, isReturnAddress: !(index == 0 && walk.firstIsPC))
            }
        }
        return pages
    }

    /// Where `address` lies in JIT code, or nil outside the code region. A return address is looked up at
    /// `address - 1` (the call instruction's last byte); a `jit_return` or a saved pc at itself.
    func locate(_ address: UInt, isReturnAddress: Bool, blocks: CompiledBlockTable) -> JITLocation? {
        guard let jit else { return nil }
        let code = isReturnAddress ? address &- 1 : address
        guard jit.region.contains(address: code) else { return nil }
        let page = jit.gc.page(of: code)
        var location = JITLocation(address: address, what: "exit", page: page)
        if let block = jit.gc.block(containing: code), let info = jit.gc.info(block) {
            location.what = "block"
            location.state = info.state == .live ? "live" : "invalidated"
            let entry = blocks.entry(block)
            location.method = entry?.method ?? jit.iseq(of: info.owner)?.name
            location.pcs = entry?.pcs
            if let iseq = jit.iseq(of: info.owner) {
                location.resumePC = jit.resumePC(ofReturnAddress: address, in: iseq)
            }
        } else if jit.gc.stub(containing: code) != nil {
            location.what = "stub"
        } else if page == jit.sharedCodePage {
            location.what = "shared"
        }
        return location
    }
}
