/// What JIT code needs from the VM that the interpreter does inline: a generic send from a frame the JIT
/// runs. Kept in one place so the interpreter's hot loop stays untouched.
public enum JITSendOutcome {
    /// The call completed (cfunc, accessor): the result replaced the receiver slot, the stack is
    /// `receiver slot + 1`, and `ec.cfp` is the calling frame again.
    case completed
    /// An ISEQ frame for `iseq` was pushed (`ec.cfp` is it, pc at its first instruction).
    case pushed(UnsafeMutableRawPointer)
    /// The call raised: `value` is the thrown object, `ec.cfp` the calling frame.
    case raised(Value)
}

extension VM {
    /// Sends call site `cs` from the ISEQ frame `ec.cfp`, whose receiver and arguments end at `sp`. The
    /// caller has saved the frame's pc past the send and its sp at `sp` (as the interpreter does), so a
    /// raise or `break` sees the same frame state as in the interpreter. Cfuncs run through the same
    /// protect point as in the interpreter.
    public func jitSend(_ ec: ExecutionContext, _ cs: UnsafeMutablePointer<CallSite>,
                        sp: UnsafeMutablePointer<Value>) -> JITSendOutcome {
        let argc = cs.pointee.argc
        let recv = sp[-argc - 1]
        // The class as a raw pointer, as the interpreter's send does: `classOf` would retain it.
        let klassPointer = classPointer(recv)
        let klassRaw = UInt64(UInt(bitPattern: klassPointer))
        let entry: UnsafeMutableRawPointer
        if cs.pointee.cachedSerial == methodSerial && cs.pointee.cachedClass == klassRaw, let e = cs.pointee.cachedEntry {
            entry = e
        } else {
            let klass = Unmanaged<RClass>.fromOpaque(klassPointer).takeUnretainedValue()
            guard let me = findMethod(klass, cs.pointee.methodID) else {
                return .raised(noMethodError(cs.pointee.methodID, receiver: recv,
                                             variableLike: cs.pointee.flags & CallSite.Flags.variableLike != 0, ec: ec).value)
            }
            entry = me.opaque
            fillCallCache(cs, entry: entry, klass: klassRaw)
        }
        var specval = Value(raw: 0)
        if let b = cs.pointee.blockISeq {
            ec.cfp.pointee.blockISeq = b
            specval = SpecialSlot.block(ec.cfp)
        }
        let kind = withEntry(entry) { $0.kind }
        switch kind {
        case .iseq:
            let (ip, cref) = withEntry(entry) { ($0.iseqPointer!, $0.cref?.pointer) }
            if let t = pushISeqFrame(ec, sp: sp, argc: argc, iseq: ip, selfValue: recv, specval: specval,
                                     flags: UInt64(FrameType.method.rawValue), methodEntry: entry, cref: cref) {
                return .raised(t)
            }
            if _slowPath(traceEvents != 0), let t = traceMethodEntry(ec) { return .raised(t) }
            return .pushed(ip)
        case .cfunc:
            let argv = sp - argc
            switch callCFunction(ec, entry: entry, recv: recv, argv: argv, argc: argc, specval: specval) {
            case .success(let v):
                argv[-1] = v
                return .completed
            case .failure(let e):
                return .raised(e.value)
            }
        case .ivarReader, .ivarWriter:
            let (id, arity) = withEntry(entry) { ($0.ivarID, $0.arity) }
            if argc != arity { return .raised(argumentCountError(given: argc, expected: arity, ec: ec).value) }
            if _slowPath(traceEvents != 0), let t = traceAccessor(.cCall, ec, entry: entry, receiver: recv) { return .raised(t) }
            let argv = sp - argc
            if kind == .ivarReader {
                argv[-1] = recv.isHeapObject ? recv.object.ivar(id) : .nil
            } else {
                if recv.isHeapObject { recv.object.setIvar(id, argv[0]) }
                argv[-1] = argv[0]
            }
            if _slowPath(traceEvents != 0), let t = traceAccessor(.cReturn, ec, entry: entry, receiver: recv, returnValue: argv[-1]) {
                return .raised(t)
            }
            return .completed
        }
    }
}

extension VM {
    /// Native stack a nested interpreter loop for JIT code's callee must leave free above the thread's
    /// re-entry limit: below it, callees run in the outer loop instead (deep mixed recursion then costs
    /// no native stack, as in the interpreter alone).
    @usableFromInline static let nestedInterpreterReserve: UInt = 512 * 1024

    /// Runs the ISEQ frame `ec.cfp`, which JIT code pushed for a cached call, to its return in a nested
    /// interpreter loop, as a cfunc's callback runs: the frame becomes a finish frame (a raise it does not
    /// handle, or a `break`/`return` to a frame below it, propagates to the JIT caller as `.raised`).
    /// `.completed`: the result replaced the receiver slot (`ep[-1]`) and `ec.cfp` is the caller.
    /// `.pushed`: not run, the native stack is too deep (the frame is left for the outer loop).
    /// `stackPointer`: the caller's native stack pointer (JIT code hands it over: no call to measure it).
    /// Inlinable: the helper of every interpreted callee of JIT code calls it, and the call layer was ~10% of
    /// that helper's cost (a region too small for every method runs hundreds of them per round).
    @inlinable @inline(__always)
    public func jitInterpretCallee(_ ec: ExecutionContext, stackPointer: UInt) -> JITSendOutcome {
        let callee = ec.cfp
        if stackPointer < ec.nativeStackLimit &+ Self.nestedInterpreterReserve {
            return .pushed(callee.pointee.iseq!)
        }
        let ep = callee.pointee.ep
        callee.pointee.flags |= FrameFlags.finish
        do {
            ep[-1] = try execute(ec)
            return .completed
        } catch {
            return .raised(error.value)
        }
    }
}

extension VM {
    /// `getConstant id` from the ISEQ frame `ec.cfp` (lexical lookup through its cref), as the
    /// interpreter does it; NameError when missing.
    public func jitGetConstant(_ ec: ExecutionContext, _ id: Int) -> Result<Value, GuestError> {
        let cref = crefOf(ec.cfp)
        if let v = lookupConstant(id, cref: cref) { return .success(v) }
        let prefix = cref.parent == nil ? "" : "\(cref.klass.name)::"
        return .failure(error(nameErrorClass, "uninitialized constant \(prefix)\(symbols.name(id))", ec: ec))
    }
}
