import CShims

/// Pushing ISEQ, block and cfunc frames (shared by the dispatch loop and native re-entry).
extension VM {
    /// Pushes a frame running `iseq` whose `argc` arguments end at `sp` (the slot below them becomes the
    /// special slot `specval`). On success `ec.cfp` is the new frame; otherwise returns the thrown value.
    @inline(__always)
    func pushISeqFrame(_ ec: ExecutionContext, sp: UnsafeMutablePointer<Value>, argc: Int, iseq ip: UnsafeMutableRawPointer,
                       selfValue: Value, specval: Value, flags: UInt64, methodEntry: UnsafeMutableRawPointer?,
                       cref: UnsafeMutableRawPointer?) -> Value? {
        let (params, nlocals, maxStack, code) = withISeq(ip) { ($0.parameterCount, $0.localCount, $0.maxStack, $0.code) }
        if argc != params, flags & 0xff == UInt64(FrameType.method.rawValue) {
            return argumentCountError(given: argc, expected: params, ec: ec).value
        }
        let ep = sp - argc
        let current = ec.cfp
        if current + 1 >= ec.frameLimit || ep + nlocals + maxStack >= ec.stackLimit {
            return stackError(ec).value
        }
        var i = argc
        while i < nlocals { ep[i] = .nil; i += 1 }
        ep[-1] = specval
        let f = current + 1
        f.initialize(to: ControlFrame(pc: code, sp: ep + nlocals, ep: ep, selfValue: selfValue, iseq: ip, blockISeq: nil,
                                      methodEntry: methodEntry, cref: cref, flags: flags, jitReturn: nil))
        ec.cfp = f
        return nil
    }

    /// Pushes the frame of the block captured by `bf` (its self, env and block ISEQ), with `argc`
    /// arguments ending at `sp`, adapting them to the block's parameters as Ruby does.
    func pushBlockFrame(_ ec: ExecutionContext, sp: UnsafeMutablePointer<Value>, argc: Int,
                        blockFrame bf: UnsafeMutablePointer<ControlFrame>, finish: Bool) -> Value? {
        let ip = bf.pointee.blockISeq!
        let params = withISeq(ip) { $0.parameterCount }
        var sp = sp
        var argc = argc
        if argc == 1 && params > 1, let arr = sp[-1].object(as: RArray.self) {
            let n = arr.elements.count
            if sp + n >= ec.stackLimit { return stackError(ec).value }
            sp -= 1
            for v in arr.elements { sp.pointee = v; sp += 1 }
            argc = n
        }
        if argc > params {
            sp -= argc - params
            argc = params
        }
        var flags = UInt64(FrameType.block.rawValue)
        if finish { flags |= FrameFlags.finish }
        return pushISeqFrame(ec, sp: sp, argc: argc, iseq: ip, selfValue: bf.pointee.selfValue,
                             specval: SpecialSlot.env(bf.pointee.ep), flags: flags, methodEntry: nil, cref: bf.pointee.cref)
    }

    /// Calls a cfunc entry with its own frame (for backtraces, frame walks and the block handler).
    /// C-written cfuncs go through the `jr_protect_call` protect point.
    func callCFunction(_ ec: ExecutionContext, entry: UnsafeMutableRawPointer, recv: Value,
                       argv: UnsafeMutablePointer<Value>, argc: Int, specval: Value) -> Result<Value, GuestError> {
        let (fn, arity, protected) = withEntry(entry) { ($0.function!, $0.arity, $0.isProtected) }
        if arity >= 0 && argc != arity { return .failure(argumentCountError(given: argc, expected: arity, ec: ec)) }
        let caller = ec.cfp
        if caller + 1 >= ec.frameLimit { return .failure(stackError(ec)) }
        argv[-1] = specval
        let f = caller + 1
        f.initialize(to: ControlFrame(pc: nil, sp: argv + argc, ep: argv, selfValue: recv, iseq: nil, blockISeq: nil,
                                      methodEntry: entry, cref: caller >= ec.frameBase ? caller.pointee.cref : nil,
                                      flags: UInt64(FrameType.cfunc.rawValue), jitReturn: nil))
        ec.cfp = f
        ec.cfuncDepth += 1
        defer { ec.cfuncDepth -= 1 }
        if _slowPath(traceEvents != 0), let t = traceCFunctionCall(ec) {
            ec.cfp = caller
            return .failure(GuestError(t))
        }
        let cargv = UnsafeRawPointer(argv).assumingMemoryBound(to: jr_value.self)
        var result: jr_value = Value.undef.raw
        if protected {
            if jr_protect_call(ec.protectTop, fn, api, ec.opaque, recv.raw, Int32(argc), cargv, &result) != 0 {
                result = Value.undef.raw
            }
        } else {
            result = fn(api, ec.opaque, recv.raw, Int32(argc), cargv)
        }
        // Also when the cfunc itself started tracing (its c_return fires; JIT code it returns to leaves).
        if _slowPath(traceEvents != 0) {
            ec.cfp = f
            result = traceCFunctionReturn(ec, result: result)
        }
        ec.cfp = caller
        // A cfunc return is a safepoint for code collection (its result is only in a native local, so not
        // for the object collector).
        if safepoints.isRequested { safepointPoll(objectSafe: false) }
        if result == Value.undef.raw {
            let t = ec.pendingThrow
            ec.pendingThrow = .undef
            return .failure(GuestError(t == .undef ? makeException(runtimeErrorClass, "cfunc returned no value", ec: ec) : t))
        }
        return .success(Value(raw: result))
    }

    // MARK: Unwinding

    enum UnwindResult {
        case resume
        case finished(Value)
    }

    /// Finds where `thrown` (raised in `ec.cfp`, whose pc is saved past the raising instruction) is
    /// handled: a rescue/ensure catch entry, the target frame of a `break`/`return` from a block, or the
    /// native caller of the nearest finish frame (then throws).
    func unwind(_ ec: ExecutionContext, _ thrown: Value) throws(GuestError) -> UnwindResult {
        let isThrow = thrown.isHeapObject && thrown.object.klass === throwClass
        let control = isThrow ? unsafeDowncast(thrown.object, to: RThrow.self) : nil
        var f = ec.cfp
        while f >= ec.frameBase {
            if let ip = f.pointee.iseq, f.pointee.type != .cfunc {
                let isTarget = control.map { $0.targetEP == f.pointee.ep } ?? false
                let (code, entries, nlocals) = withISeq(ip) { ($0.code, $0.catchTable, $0.localCount) }
                let pcIndex = f.pointee.pc! - code
                // A `return` from a block leaves its target frame, so that frame's ensure clauses run
                // first; a `break` lands inside its target frame, at the send, so they must not.
                if !isTarget || control?.kind == .returnFromBlock {
                    for e in entries where e.start < pcIndex && pcIndex <= e.end {
                        if e.kind == .rescue && isThrow { continue }
                        let sp = f.pointee.ep + nlocals + e.stackDepth
                        sp.pointee = thrown
                        f.pointee.sp = sp + 1
                        f.pointee.pc = code + e.handler
                        ec.cfp = f
                        return .resume
                    }
                }
                if isTarget, let t = control {
                    switch t.kind {
                    case .breakBlock:
                        // The frame that passed the block: the send's result is the break value.
                        let pc = f.pointee.pc!
                        let argc = withISeq(ip) { $0.callSites[pc[-1]].argc }
                        let slot = f.pointee.sp - argc - 1
                        slot.pointee = t.value
                        f.pointee.sp = slot + 1
                        ec.cfp = f
                        return .resume
                    case .returnFromBlock:
                        let ep = f.pointee.ep
                        if _slowPath(traceEvents != 0), let hookError = traceUnwound(ec, f, value: t.value) {
                            ec.cfp = f - 1
                            if f.pointee.isFinish { throw GuestError(hookError) }
                            return try unwind(ec, hookError)
                        }
                        ec.cfp = f - 1
                        if f.pointee.isFinish { return .finished(t.value) }
                        ep[-1] = t.value
                        ec.cfp.pointee.sp = ep
                        return .resume
                    }
                }
            }
            if _slowPath(traceEvents != 0), let t = traceUnwound(ec, f) {
                // A hook raised while this frame was unwound: its exception replaces the one in flight.
                ec.cfp = f - 1
                if f.pointee.isFinish { throw GuestError(t) }
                return try unwind(ec, t)
            }
            if f.pointee.isFinish {
                ec.cfp = f - 1
                throw GuestError(thrown)
            }
            f -= 1
        }
        ec.cfp = f
        throw GuestError(thrown)
    }

    // MARK: Classes

    func openClass(_ id: Int, cbase: Value, superclass: Value?, ec: ExecutionContext) throws(GuestError) -> RClass {
        guard let scope = cbase.object(as: RClass.self) else {
            throw error(typeErrorClass, "\(inspectForMessage(cbase)) is not a class/module", ec: ec)
        }
        var superClass: RClass?
        if let superclass {
            guard let s = superclass.object(as: RClass.self), !s.isModule else {
                throw error(typeErrorClass, "superclass must be a Class (\(realClassOf(superclass).name) given)", ec: ec)
            }
            superClass = s
        }
        let name = symbols.name(id)
        if let existing = scope.constants[id] {
            guard let c = existing.object(as: RClass.self), !c.isModule else {
                throw error(typeErrorClass, "\(name) is not a class", ec: ec)
            }
            if let s = superClass, c.superclass !== s {
                throw error(typeErrorClass, "superclass mismatch for class \(name)", ec: ec)
            }
            return c
        }
        return defineClass(name, superclass: superClass ?? objectClass, under: scope)
    }

    func openModule(_ id: Int, cbase: Value, ec: ExecutionContext) throws(GuestError) -> RClass {
        guard let scope = cbase.object(as: RClass.self) else {
            throw error(typeErrorClass, "\(inspectForMessage(cbase)) is not a class/module", ec: ec)
        }
        let name = symbols.name(id)
        if let existing = scope.constants[id] {
            guard let c = existing.object(as: RClass.self), c.isModule else {
                throw error(typeErrorClass, "\(name) is not a module", ec: ec)
            }
            return c
        }
        return defineModule(name, under: scope)
    }
}

/// Ruby's Integer division and modulo (rounding toward negative infinity).
enum IntegerMath {
    @inline(__always) static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
    @inline(__always) static func floorMod(_ a: Int64, _ b: Int64) -> Int64 {
        let m = a % b
        return (m != 0 && (m < 0) != (b < 0)) ? m + b : m
    }
}
