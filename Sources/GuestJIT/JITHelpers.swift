import CodeGC
import GuestVM

/// Native functions JIT code calls (System V ABI, from inside the trampoline's rbp frame). Each gets the
/// runtime block first and finds the JIT there. They answer JIT code with a status word:
/// 0 continue, 1 raise pending, 2 leave to the interpreter (a frame was pushed), else an address to jump to.
enum JITHelpers {
    typealias Send = @convention(c) (UnsafeMutableRawPointer, UnsafeMutableRawPointer, UnsafeMutableRawPointer,
                                     UnsafeMutableRawPointer, UnsafeMutableRawPointer, UnsafeRawPointer) -> UInt
    typealias StubHit = @convention(c) (UnsafeMutableRawPointer, UInt64, UnsafeMutableRawPointer) -> UInt


    /// The execution context of the innermost entry, unretained (the VM owns it).
    @inline(__always)
    static func context(_ runtime: UnsafeMutableRawPointer) -> Unmanaged<ExecutionContext> {
        let raw = (runtime + Int(RuntimeBlock.ec)).load(as: UInt.self)
        return Unmanaged<ExecutionContext>.fromOpaque(UnsafeRawPointer(bitPattern: raw)!)
    }

    /// `send` (and the opt_* instructions JIT code does not inline): saves pc/sp like the interpreter, calls
    /// through `VM.jitSend`, and for an ISEQ callee sets its `jitReturn` and picks its entry.
    static let send: Send = { runtime, cfp, callSite, sp, nextPC, jitReturn in
        IncompleteFrames.complete(cfp.assumingMemoryBound(to: ControlFrame.self))
        return GuestJIT.withHelperJIT(runtime) { jit in jit.send(RuntimeBlock(base: runtime),
                        cfp: cfp.assumingMemoryBound(to: ControlFrame.self),
                        callSite: callSite.assumingMemoryBound(to: CallSite.self),
                        sp: sp.assumingMemoryBound(to: Value.self), nextPC: nextPC.assumingMemoryBound(to: Int.self),
                        jitReturn: jitReturn) }
    }

    static let stubHit: StubHit = { runtime, stub, cfp in
        GuestJIT.withHelperJIT(runtime) { jit in
            let frame = cfp.assumingMemoryBound(to: ControlFrame.self)
            IncompleteFrames.complete(frame)
            // Waiting for the VM lock parks this thread: the frames JIT code pushed must be visible first.
            JITHelpers.context(runtime)._withUnsafeGuaranteedRef { $0.cfp = frame }
            return jit.withVM { vm in vm.withVMLock { jit.stubHit(StubID(rawValue: stub), cfp: frame, vm: vm) } }
        }
    }

    typealias Simple = @convention(c) (UnsafeMutableRawPointer, UnsafeMutableRawPointer, UnsafeMutableRawPointer,
                                       UnsafeMutableRawPointer) -> UInt

    /// Instructions without calls that JIT code leaves to Swift (constants, ivars, globals, literals):
    /// performs the instruction at `pc` with the stack top at `sp`; 0, or 1 with a raise pending.
    static let simple: Simple = { runtime, cfp, pc, sp in
        IncompleteFrames.complete(cfp.assumingMemoryBound(to: ControlFrame.self))
        return GuestJIT.withHelperJIT(runtime) {
            $0.simpleInstruction(cfp: cfp.assumingMemoryBound(to: ControlFrame.self),
                                 pc: pc.assumingMemoryBound(to: Int.self), sp: sp.assumingMemoryBound(to: Value.self))
        }
    }

    typealias InterpretedCallsDue = @convention(c) (UnsafeMutableRawPointer, UnsafeMutableRawPointer,
                                                    UnsafeMutableRawPointer) -> UInt

    /// `SharedCode.interpretCallee` ran out of cached calls in a record (second argument) with the callee
    /// frame pushed (third): 2 leave to the interpreter, else the callee's entry.
    static let interpretedCallsDue: InterpretedCallsDue = { runtime, record, callee in
        IncompleteFrames.complete(callee.assumingMemoryBound(to: ControlFrame.self))
        return GuestJIT.withHelperJIT(runtime) {
            $0.interpretedCallsDue(RuntimeBlock(base: runtime), record: record,
                                   callee: callee.assumingMemoryBound(to: ControlFrame.self))
        }
    }

    typealias InterpretCallee = @convention(c) (UnsafeMutableRawPointer, UnsafeMutableRawPointer, UInt) -> UInt

    /// `SharedCode.interpretCallee`: runs the interpreted callee frame (second argument) JIT code pushed;
    /// the third is the stub's rsp (the native stack depth the nested loop would start at).
    /// 0 returned (result in its receiver slot), 1 raise pending, 2 leave to the interpreter.
    static let interpretCallee: InterpretCallee = { runtime, callee, stackPointer in
        GuestJIT.withHelperJIT(runtime) {
            $0.interpretCallee(RuntimeBlock(base: runtime), callee: callee.assumingMemoryBound(to: ControlFrame.self),
                               stackPointer: stackPointer)
        }
    }

    typealias PCAddress = @convention(c) (UnsafeMutableRawPointer, Int) -> UnsafeMutableRawPointer

    /// `SharedCode.relativeExitTail`: the address of the instruction `byteOffset` bytes into the code of the
    /// ISEQ frame `cfp` runs (shared code knows the offset, not which ISEQ it runs for). A frame a cached
    /// call pushed names its ISEQ only once completed (`IncompleteFrames`); the exit is leaving anyway.
    static let pcAddress: PCAddress = { cfp, byteOffset in
        let frame = cfp.assumingMemoryBound(to: ControlFrame.self)
        IncompleteFrames.complete(frame)
        let iseq = frame.pointee.iseq.unsafelyUnwrapped
        return Unmanaged<ISeq>.fromOpaque(iseq)._withUnsafeGuaranteedRef { UnsafeMutableRawPointer($0.code) + byteOffset }
    }

    static let pcAddressAddress = unsafeBitCast(pcAddress, to: UInt.self)
    static let simpleAddress = unsafeBitCast(simple, to: UInt.self)
    static let interpretCalleeAddress = unsafeBitCast(interpretCallee, to: UInt.self)
    static let interpretedCallsDueAddress = unsafeBitCast(interpretedCallsDue, to: UInt.self)
    static let sendAddress = unsafeBitCast(send, to: UInt.self)
    static let stubHitAddress = unsafeBitCast(stubHit, to: UInt.self)
}

extension GuestJIT {
    /// Calls `body` with the JIT of `runtime` without retaining it (the VM keeps it alive).
    @inline(__always)
    static func withHelperJIT<T>(_ runtime: UnsafeMutableRawPointer, _ body: (GuestJIT) -> T) -> T {
        let raw = (runtime + Int(RuntimeBlock.jit)).load(as: UInt.self)
        return Unmanaged<GuestJIT>.fromOpaque(UnsafeRawPointer(bitPattern: raw)!)._withUnsafeGuaranteedRef(body)
    }

    /// The send helper's body. `block` is the calling thread's runtime block (JIT code's r12): reached
    /// directly, not through the thread-local `runtime`, which costs a C call per read.
    func send(_ block: RuntimeBlock, cfp: UnsafeMutablePointer<ControlFrame>, callSite: UnsafeMutablePointer<CallSite>,
              sp: UnsafeMutablePointer<Value>, nextPC: UnsafeMutablePointer<Int>, jitReturn: UnsafeRawPointer) -> UInt {
        JITHelpers.context(block.base)._withUnsafeGuaranteedRef { ec in
            send(ec, block, cfp: cfp, callSite: callSite, sp: sp, nextPC: nextPC, jitReturn: jitReturn)
        }
    }

    @inline(__always)
    func send(_ ec: ExecutionContext, _ block: RuntimeBlock, cfp: UnsafeMutablePointer<ControlFrame>,
              callSite: UnsafeMutablePointer<CallSite>, sp: UnsafeMutablePointer<Value>,
              nextPC: UnsafeMutablePointer<Int>, jitReturn: UnsafeRawPointer) -> UInt {
        withVM { vm in send(ec, vm, block, cfp: cfp, callSite: callSite, sp: sp, nextPC: nextPC, jitReturn: jitReturn) }
    }

    @inline(__always)
    func send(_ ec: ExecutionContext, _ vm: VM, _ block: RuntimeBlock, cfp: UnsafeMutablePointer<ControlFrame>,
              callSite: UnsafeMutablePointer<CallSite>, sp: UnsafeMutablePointer<Value>,
              nextPC: UnsafeMutablePointer<Int>, jitReturn: UnsafeRawPointer) -> UInt {
        cfp.pointee.pc = nextPC
        cfp.pointee.sp = sp
        ec.cfp = cfp
        // A helper call is a safepoint for code collection: the frames JIT code pushed itself are visible
        // (ec.cfp) and the native stack is walked precisely. A stop request raises this thread's interrupt
        // word first, so the word filters the poll (one load instead of a call into GuestVM).
        if block.word(RuntimeBlock.interrupt).pointee != 0 && vm.safepoints.isRequested {
            vm.safepointPoll(objectSafe: false)
        }
        let receiver = sp[-callSite.pointee.argc - 1]
        // The serial the lookup below is valid for: a call-cache fill must not label it with a later one
        // (the world may be stopped and the method changed while this thread waits for the VM lock).
        let lookupSerial = block.word(RuntimeBlock.serial).pointee
        // While this send runs, a cfunc it calls directly has `cfp` as its caller (see `callerIsJITCode`).
        let sendingFrame = block.word(RuntimeBlock.sendingFrame)
        let outerSendingFrame = sendingFrame.pointee
        sendingFrame.pointee = UInt64(UInt(bitPattern: cfp))
        let outcome = vm.jitSend(ec, callSite, sp: sp)
        sendingFrame.pointee = outerSendingFrame
        // The call may have switched fibers (resume, yield, transfer): the thread's runtime block then
        // holds the context and limits of the fiber whose JIT code ran last. This JIT code is `ec`'s again.
        Self.install(ec, in: block)
        switch outcome {
        case .completed:
            if vm.traceEvents != 0 { return leaveForTracing(cfp, stackTop: sp - callSite.pointee.argc, returnPoint: jitReturn) }
            return 0
        case .raised(let thrown):
            block.word(RuntimeBlock.pendingRaise).pointee = thrown.raw
            block.word(RuntimeBlock.cfp).pointee = UInt64(UInt(bitPattern: ec.cfp))
            return 1
        case .pushed(let ip):
            let callee = ec.cfp
            callee.pointee.jitReturn = jitReturn
            block.word(RuntimeBlock.cfp).pointee = UInt64(UInt(bitPattern: callee))
            if vm.traceEvents != 0 { return 2 }
            return Unmanaged<ISeq>.fromOpaque(ip)._withUnsafeGuaranteedRef { iseq in
                // Compilation and call-cache fills change shared JIT state: under the VM lock, and the count
                // with them (the lock is taken anyway; outside it, threads racing here lost increments).
                return vm.withVMLock {
                    iseq.callCount &+= 1
                    counters.helperISeqCalls += 1
                    if iseq.jitEntry == nil && iseq.callCount >= callThreshold { compile(iseq, ec: ec) }
                    // Without code (below the threshold, or waiting out its backoff after the region had no
                    // room) the interpreter runs the callee, and the site's cached call goes straight to it
                    // until the ISEQ is due again (`SharedCode.interpretCallee`).
                    let entry = iseq.jitEntry
                    if receiver.isHeapObject, let record = callCaches[UInt(bitPattern: callSite)],
                       lookupSerial == block.word(RuntimeBlock.serial).pointee,
                       !vm.isMultithreaded || CallCache.isStale(record, runtime: block) {
                        let klass = UInt(bitPattern: Unmanaged.passUnretained(receiver.object.klass).toOpaque())
                        CallCache.fill(record, runtime: block, klass: klass, iseq: iseq, argc: callSite.pointee.argc,
                                       callee: callee, entry: entry ?? UnsafeRawPointer(bitPattern: shared.interpretCallee)!,
                                       interpretedCalls: entry == nil ? callsUntilDue(iseq) : 0)
                    }
                    guard let entry else { return 2 }
                    return UInt(bitPattern: entry)
                }
            }
        }
    }
}

extension GuestJIT {
    /// Cached calls an interpreted ISEQ makes before its call count reaches the threshold (at least 1).
    func callsUntilDue(_ iseq: ISeq) -> Int {
        max(1, callThreshold - iseq.callCount)
    }

    @inline(__always)
    func interpretCallee(_ block: RuntimeBlock, callee: UnsafeMutablePointer<ControlFrame>, stackPointer: UInt) -> UInt {
        IncompleteFrames.completeInline(callee)
        return withVM { vm in JITHelpers.context(block.base)._withUnsafeGuaranteedRef { ec in
            // The frames JIT code pushed become visible to the interpreter and the collectors.
            ec.cfp = callee
            let stackTop = callee.pointee.ep
            let returnPoint = callee.pointee.jitReturn.unsafelyUnwrapped
            let outcome = vm.jitInterpretCallee(ec, stackPointer: stackPointer)
            // The callee may have switched fibers (see `send`): this JIT code is `ec`'s again. The limits are
            // `ec`'s own, so they need writing only when another context's JIT code ran meanwhile.
            if block.word(RuntimeBlock.ec).pointee != UInt64(UInt(bitPattern: ec.opaque)) { Self.install(ec, in: block) }
            switch outcome {
            case .completed:
                if vm.traceEvents != 0 { return leaveForTracing(callee - 1, stackTop: stackTop, returnPoint: returnPoint) }
                return 0
            case .raised(let thrown):
                block.word(RuntimeBlock.pendingRaise).pointee = thrown.raw
                block.word(RuntimeBlock.cfp).pointee = UInt64(UInt(bitPattern: ec.cfp))
                return 1
            case .pushed:
                block.word(RuntimeBlock.cfp).pointee = UInt64(UInt(bitPattern: callee))
                return 2
            }
        } }
    }

    /// The cached calls of `record` to an interpreted ISEQ ran out (`callee` is the frame of the last,
    /// pushed): counts them for the ISEQ, compiles it if due, and answers 2 (the interpreter runs the
    /// callee; the record counts again) or the new entry (the record's entry becomes it).
    ///
    /// The record stays valid: only its entry word changes (one aligned store), so it goes on describing
    /// the same ISEQ, method entry and cref. Making it stale instead let another thread refill it for
    /// another receiver class while frames pushed through it were still incomplete, and completing them
    /// then named the other class's method. The record is changed only while it still counts cached calls
    /// to this ISEQ: racing threads take the count below zero and each calls here, and the later ones must
    /// not touch a record that was refilled meanwhile (its compiled callees' frames complete from it).
    func interpretedCallsDue(_ block: RuntimeBlock, record: UnsafeMutableRawPointer,
                             callee: UnsafeMutablePointer<ControlFrame>) -> UInt {
        withVM { interpretedCallsDue(block, record: record, callee: callee, vm: $0) }
    }

    /// `vm` borrowed (see `withVM`).
    private func interpretedCallsDue(_ block: RuntimeBlock, record: UnsafeMutableRawPointer,
                                     callee: UnsafeMutablePointer<ControlFrame>, vm: VM) -> UInt {
        block.word(RuntimeBlock.cfp).pointee = UInt64(UInt(bitPattern: callee))
        return JITHelpers.context(block.base)._withUnsafeGuaranteedRef { ec in
            // A compilation may collect code: the frames JIT code pushed must be visible.
            ec.cfp = callee
            return vm.withVMLock {
                Unmanaged<ISeq>.fromOpaque(callee.pointee.iseq!)._withUnsafeGuaranteedRef { iseq in
                    let counting = CallCache.countsInterpretedCalls(record, to: iseq, runtime: block,
                                                                    interpreterEntry: shared.interpretCallee)
                    if counting {
                        iseq.callCount &+= Int(record.load(fromByteOffset: CallCache.interpretedCalls, as: Int64.self))
                    }
                    if iseq.jitEntry == nil && iseq.callCount >= callThreshold { compile(iseq, ec: ec) }
                    // A compilation may have collected code and changed the serial: ask again.
                    let stillCounting = counting && CallCache.countsInterpretedCalls(record, to: iseq, runtime: block,
                                                                                     interpreterEntry: shared.interpretCallee)
                    if let entry = iseq.jitEntry, vm.traceEvents == 0 {
                        if stillCounting { CallCache.setEntry(record, entry) }
                        return UInt(bitPattern: entry)
                    }
                    if stillCounting { CallCache.setInterpretedCalls(record, callsUntilDue(iseq)) }
                    return 2
                }
            }
        }
    }

    /// The stack effect (pops, pushes) of the instructions `simpleInstruction` performs, nil for others.
    static func simpleEffect(_ op: Opcode, operand: Int) -> (pops: Int, pushes: Int)? {
        switch op {
        case .getConstant, .getIvar, .putString, .getGlobal: return (0, 1)
        case .setIvar, .setGlobal: return (1, 0)
        case .newArray: return (operand, 1)
        default: return nil
        }
    }

    func simpleInstruction(cfp: UnsafeMutablePointer<ControlFrame>, pc: UnsafeMutablePointer<Int>,
                           sp: UnsafeMutablePointer<Value>) -> UInt {
        withVM { simpleInstruction(cfp: cfp, pc: pc, sp: sp, vm: $0) }
    }

    /// `vm` borrowed (see `withVM`).
    private func simpleInstruction(cfp: UnsafeMutablePointer<ControlFrame>, pc: UnsafeMutablePointer<Int>,
                                   sp: UnsafeMutablePointer<Value>, vm: VM) -> UInt {
        let op = Opcode(rawValue: pc.pointee)!
        switch op {
        case .getConstant:
            let ec = JITHelpers.context(runtime.base).takeUnretainedValue()
            ec.cfp = cfp
            // The frame's pc and sp first, as the interpreter saves them: a NameError takes its backtrace
            // (this line) when it is made, inside the lookup.
            cfp.pointee.pc = pc + 2
            cfp.pointee.sp = sp
            switch vm.jitGetConstant(ec, pc[1]) {
            case .success(let v):
                sp.pointee = v
            case .failure(let e):
                pendingRaise = e.value
                runtime.word(RuntimeBlock.cfp).pointee = UInt64(UInt(bitPattern: cfp))
                return 1
            }
        case .getIvar:
            let s = cfp.pointee.selfValue
            sp.pointee = s.isHeapObject ? s.object.ivar(pc[1]) : .nil
        case .setIvar:
            let s = cfp.pointee.selfValue
            if s.isHeapObject { s.object.setIvar(pc[1], sp[-1]) }
        case .putString:
            sp.pointee = vm.newString(iseq(of: cfp).stringLiterals[pc[1]])
        case .getGlobal:
            sp.pointee = vm.global(pc[1])
        case .setGlobal:
            vm.setGlobal(pc[1], sp[-1])
        case .newArray:
            let n = pc[1]
            (sp - n).pointee = vm.newArray(Array(UnsafeBufferPointer(start: sp - n, count: n)))
        default:
            break
        }
        return 0
    }
}
