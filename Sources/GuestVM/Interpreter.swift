import CShims

/// The running frame's state, kept in locals (registers) by the dispatch loop.
struct Registers {
    var cfp: UnsafeMutablePointer<ControlFrame>
    var pc: UnsafeMutablePointer<Int>
    var sp: UnsafeMutablePointer<Value>
    var ep: UnsafeMutablePointer<Value>

    @inline(__always) init(_ f: UnsafeMutablePointer<ControlFrame>) {
        cfp = f
        pc = f.pointee.pc!
        sp = f.pointee.sp
        ep = f.pointee.ep
    }

    /// The running ISEQ's call sites, read only by the instructions that send: entering or returning to a
    /// frame touches no line of its ISeq object (a method JIT code calls in the interpreter runs
    /// `x + 1` without one cold miss on it).
    @inline(__always) var callSites: UnsafeMutablePointer<CallSite> {
        withISeq(cfp.pointee.iseq.unsafelyUnwrapped) { $0.callSites }
    }

    /// Saves pc (past the current instruction's first `words` words) and sp into the frame.
    @inline(__always) func save(_ words: Int) {
        cfp.pointee.pc = pc + words
        cfp.pointee.sp = sp
    }
}

@inline(__always)
func withISeq<T>(_ p: UnsafeMutableRawPointer, _ body: (ISeq) -> T) -> T {
    Unmanaged<ISeq>.fromOpaque(p)._withUnsafeGuaranteedRef(body)
}

@inline(__always)
func withEntry<T>(_ p: UnsafeMutableRawPointer, _ body: (MethodEntry) -> T) -> T {
    Unmanaged<MethodEntry>.fromOpaque(p)._withUnsafeGuaranteedRef(body)
}

extension VM {
    /// Interprets from `ec.cfp` (an ISEQ frame flagged `finish`, or with one below it) until the finish
    /// frame leaves, and returns its value. A throw nobody catches above the finish frame pops it and
    /// propagates as `GuestError`. Guest-to-guest calls never recurse natively.
    @usableFromInline
    func execute(_ ec: ExecutionContext) throws(GuestError) -> Value {
        var r = Registers(ec.cfp)
        while true {
            var thrown = Value.undef
            dispatch: while true {
                switch Opcode.decode(r.pc.pointee) {
                case .nop:
                    r.pc += 1
                case .putNil:
                    r.sp.pointee = .nil; r.sp += 1; r.pc += 1
                case .putTrue:
                    r.sp.pointee = .true; r.sp += 1; r.pc += 1
                case .putFalse:
                    r.sp.pointee = .false; r.sp += 1; r.pc += 1
                case .putSelf:
                    r.sp.pointee = r.cfp.pointee.selfValue; r.sp += 1; r.pc += 1
                case .putObject:
                    r.sp.pointee = Value(raw: UInt64(bitPattern: Int64(r.pc[1]))); r.sp += 1; r.pc += 2
                case .putString:
                    let s = withISeq(r.cfp.pointee.iseq!) { $0.stringLiterals[r.pc[1]] }
                    r.sp.pointee = newString(s); r.sp += 1; r.pc += 2
                case .putCBase:
                    r.sp.pointee = .object(crefOf(r.cfp).klass); r.sp += 1; r.pc += 1
                case .newArray:
                    let n = r.pc[1]
                    let a = newArray(Array(UnsafeBufferPointer(start: r.sp - n, count: n)))
                    r.sp -= n; r.sp.pointee = a; r.sp += 1; r.pc += 2
                case .pop:
                    r.sp -= 1; r.pc += 1
                case .dup:
                    r.sp.pointee = r.sp[-1]; r.sp += 1; r.pc += 1
                case .dupN:
                    let n = r.pc[1]
                    for i in 0..<n { r.sp[i] = r.sp[i - n] }
                    r.sp += n; r.pc += 2
                case .setN:
                    r.sp[-1 - r.pc[1]] = r.sp[-1]; r.pc += 2
                case .popUnder:
                    let n = r.pc[1]
                    r.sp[-1 - n] = r.sp[-1]; r.sp -= n; r.pc += 2
                case .getLocal0:
                    r.sp.pointee = r.ep[r.pc[1]]; r.sp += 1; r.pc += 2
                case .setLocal0:
                    r.sp -= 1; r.ep[r.pc[1]] = r.sp.pointee; r.pc += 2
                case .getLocal:
                    var e = r.ep
                    for _ in 0..<r.pc[2] { e = SpecialSlot.parentEnv(e[-1]).unsafelyUnwrapped }
                    r.sp.pointee = e[r.pc[1]]; r.sp += 1; r.pc += 3
                case .setLocal:
                    var e = r.ep
                    for _ in 0..<r.pc[2] { e = SpecialSlot.parentEnv(e[-1]).unsafelyUnwrapped }
                    r.sp -= 1; e[r.pc[1]] = r.sp.pointee; r.pc += 3
                case .getIvar:
                    let s = r.cfp.pointee.selfValue
                    r.sp.pointee = s.isHeapObject ? s.object.ivar(r.pc[1]) : .nil
                    r.sp += 1; r.pc += 2
                case .setIvar:
                    r.sp -= 1
                    let s = r.cfp.pointee.selfValue
                    if s.isHeapObject { s.object.setIvar(r.pc[1], r.sp.pointee) }
                    r.pc += 2
                case .getGlobal:
                    r.sp.pointee = global(r.pc[1]); r.sp += 1; r.pc += 2
                case .setGlobal:
                    r.sp -= 1; setGlobal(r.pc[1], r.sp.pointee); r.pc += 2
                case .getConstant:
                    let id = r.pc[1]
                    let cref = crefOf(r.cfp)
                    guard let v = lookupConstant(id, cref: cref) else {
                        r.save(2)
                        thrown = uninitializedConstantError(id, cref: cref, ec: ec)
                        break dispatch
                    }
                    r.sp.pointee = v; r.sp += 1; r.pc += 2
                case .getConstantFrom:
                    let id = r.pc[1]
                    let scope = r.sp[-1]
                    guard let c = scope.object(as: RClass.self) else {
                        r.save(2)
                        thrown = notAClassOrModuleError(scope, ec: ec)
                        break dispatch
                    }
                    guard let v = lookupConstant(id, in: c) else {
                        r.save(2)
                        thrown = uninitializedConstantError(id, in: c, ec: ec)
                        break dispatch
                    }
                    r.sp[-1] = v; r.pc += 2
                case .setConstant:
                    r.sp -= 1
                    setConstant(r.pc[1], r.sp.pointee, in: crefOf(r.cfp).klass)
                    r.pc += 2
                case .jump:
                    let target = withISeq(r.cfp.pointee.iseq!) { $0.code } + r.pc[1]
                    // A backward jump closes a loop too (`while true`): a safepoint for posted requests.
                    if target < r.pc && jr_safepoint_requested() != 0 {
                        r.cfp.pointee.pc = target
                        r.cfp.pointee.sp = r.sp
                        serviceSafepoint(ec)
                    }
                    r.pc = target
                case .branchIf:
                    r.sp -= 1
                    if r.sp.pointee.isTruthy {
                        let target = withISeq(r.cfp.pointee.iseq!) { $0.code } + r.pc[1]
                        // A loop back-edge is a collection safepoint.
                        if target < r.pc && (heap.count >= heap.threshold || safepoints.isRequested || jr_safepoint_requested() != 0) {
                            r.cfp.pointee.pc = target
                            r.cfp.pointee.sp = r.sp
                            serviceSafepoint(ec)
                        }
                        r.pc = target
                    } else {
                        r.pc += 2
                    }
                case .branchUnless:
                    r.sp -= 1
                    if !r.sp.pointee.isTruthy {
                        r.pc = withISeq(r.cfp.pointee.iseq!) { $0.code } + r.pc[1]
                    } else {
                        r.pc += 2
                    }
                case .send:
                    let (next, t) = send(ec, r, r.callSites + r.pc[1]); r = next
                    if let t { thrown = t; break dispatch }
                case .invokeBlock:
                    let cs = r.callSites + r.pc[1]
                    r.save(2)
                    let (next, t) = invokeBlock(ec, r, argc: cs.pointee.argc); r = next
                    if let t { thrown = t; break dispatch }
                case .leave:
                    let value = r.sp[-1]
                    let f = r.cfp
                    if _slowPath(traceEvents != 0) {
                        r.save(1)
                        if let t = traceMethodExit(ec, f, value: value) { thrown = t; break dispatch }
                    }
                    let calleeEP = f.pointee.ep
                    if f.pointee.isFinish {
                        ec.cfp = f - 1
                        return value
                    }
                    let jitReturn = f.pointee.jitReturn
                    ec.cfp = f - 1
                    r = Registers(f - 1)
                    r.sp = calleeEP
                    r.sp[-1] = value
                    if let jitReturn, jitEnabled, _fastPath(traceEvents == 0) {
                        // The frame was pushed by JIT code: let the caller's JIT code continue (not while
                        // tracing: JIT code fires no events, the interpreter continues the caller then).
                        r.save(0)
                        switch withUnretainedJIT({ $0.resume(at: jitReturn, value: value, ec: ec) }) ?? nil {
                        case nil, .interpret?: r = Registers(ec.cfp)
                        case .raise(let t)?: r = Registers(ec.cfp); thrown = t; break dispatch
                        }
                    }
                case .throwBreak:
                    r.sp -= 1
                    r.save(1)
                    let target = SpecialSlot.parentEnv(r.ep[-1]).unsafelyUnwrapped
                    thrown = heap.track(RThrow(klass: throwClass, kind: .breakBlock, value: r.sp.pointee, targetEP: target))
                    break dispatch
                case .throwReturn:
                    r.sp -= 1
                    r.save(1)
                    var e = r.ep
                    while let p = SpecialSlot.parentEnv(e[-1]) { e = p }
                    thrown = heap.track(RThrow(klass: throwClass, kind: .returnFromBlock, value: r.sp.pointee, targetEP: e))
                    break dispatch
                case .rethrow:
                    r.sp -= 1
                    r.save(1)
                    thrown = r.sp.pointee
                    break dispatch
                case .rescueMatch:
                    let cls = r.sp[-1]
                    let exc = r.sp[-2]
                    guard let c = cls.object(as: RClass.self) else {
                        r.save(1)
                        thrown = rescueClauseTypeError(ec: ec)
                        break dispatch
                    }
                    r.sp -= 1
                    r.sp[-1] = .bool(classOf(exc).isSubclass(of: c))
                    r.pc += 1
                case .toString:
                    let v = r.sp[-1]
                    if v.isHeapObject && v.object.klass === stringClass {
                        r.pc += 1
                        continue dispatch
                    }
                    r.save(1)
                    do {
                        r.sp[-1] = try toS(v, ec: ec)
                    } catch {
                        thrown = error.value
                        break dispatch
                    }
                    r.pc += 1
                case .concatStrings:
                    let n = r.pc[1]
                    var s = ""
                    for i in 0..<n { s += stringValue(r.sp[i - n]) ?? "" }
                    r.sp -= n
                    r.sp.pointee = newString(s); r.sp += 1; r.pc += 2
                case .defineMethod:
                    let cref = crefOf(r.cfp)
                    let iseq = withISeq(r.cfp.pointee.iseq!) { $0.children[r.pc[2]] }
                    r.save(3)
                    defineISeqMethod(cref.klass, name: r.pc[1], iseq: iseq, cref: cref)
                    r.sp.pointee = .symbol(r.pc[1]); r.sp += 1; r.pc += 3
                case .defineSingletonMethod:
                    let recv = r.sp[-1]
                    guard let c = recv.object(as: RClass.self), let meta = c.metaclass else {
                        r.save(3)
                        thrown = singletonDefinitionError(ec: ec)
                        break dispatch
                    }
                    let iseq = withISeq(r.cfp.pointee.iseq!) { $0.children[r.pc[2]] }
                    r.save(3)
                    defineISeqMethod(meta, name: r.pc[1], iseq: iseq, cref: crefOf(r.cfp))
                    r.sp[-1] = .symbol(r.pc[1]); r.pc += 3
                case .defineClass, .defineModule:
                    let isClass = r.pc.pointee == Opcode.defineClass.rawValue
                    let words = isClass ? 4 : 3
                    r.save(words)
                    let klass: RClass
                    do {
                        if isClass {
                            klass = try openClass(r.pc[1], cbase: r.sp[-2], superclass: r.pc[3] != 0 ? r.sp[-1] : nil, ec: ec)
                            r.sp -= 2
                        } else {
                            klass = try openModule(r.pc[1], cbase: r.sp[-1], ec: ec)
                            r.sp -= 1
                        }
                    } catch {
                        thrown = error.value
                        break dispatch
                    }
                    let body = withISeq(r.cfp.pointee.iseq!) { Unmanaged.passUnretained($0.children[r.pc[2]]).toOpaque() }
                    r.sp.pointee = .nil
                    r.sp += 1
                    r.save(words)
                    let cref = self.cref(klass, parent: crefOf(r.cfp))
                    if let t = pushISeqFrame(ec, sp: r.sp, argc: 0, iseq: body, selfValue: .object(klass), specval: Value(raw: 0),
                                             flags: UInt64(FrameType.classBody.rawValue), methodEntry: nil, cref: cref.pointer) {
                        thrown = t
                        break dispatch
                    }
                    r = Registers(ec.cfp)

                case .optPlus:
                    let a = r.sp[-2], b = r.sp[-1]
                    if a.raw & b.raw & basicOperationsMask == 1 {
                        let (s, o) = Int64(bitPattern: a.raw).addingReportingOverflow(Int64(bitPattern: b.raw) - 1)
                        if !o {
                            r.sp -= 1; r.sp[-1] = Value(raw: UInt64(bitPattern: s)); r.pc += 2
                            continue dispatch
                        }
                    }
                    let (next, t) = send(ec, r, r.callSites + r.pc[1]); r = next
                    if let t { thrown = t; break dispatch }
                case .optMinus:
                    let a = r.sp[-2], b = r.sp[-1]
                    if a.raw & b.raw & basicOperationsMask == 1 {
                        let (s, o) = Int64(bitPattern: a.raw).subtractingReportingOverflow(Int64(bitPattern: b.raw) - 1)
                        if !o {
                            r.sp -= 1; r.sp[-1] = Value(raw: UInt64(bitPattern: s)); r.pc += 2
                            continue dispatch
                        }
                    }
                    let (next, t) = send(ec, r, r.callSites + r.pc[1]); r = next
                    if let t { thrown = t; break dispatch }
                case .optMult:
                    let a = r.sp[-2], b = r.sp[-1]
                    if a.raw & b.raw & basicOperationsMask == 1 {
                        let (m, o) = a.fixnumValue.multipliedReportingOverflow(by: b.fixnumValue)
                        if !o && m >= Value.fixnumMin && m <= Value.fixnumMax {
                            r.sp -= 1; r.sp[-1] = .fixnum(m); r.pc += 2
                            continue dispatch
                        }
                    }
                    let (next, t) = send(ec, r, r.callSites + r.pc[1]); r = next
                    if let t { thrown = t; break dispatch }
                case .optDiv, .optMod:
                    let a = r.sp[-2], b = r.sp[-1]
                    if a.raw & b.raw & basicOperationsMask == 1 && b.fixnumValue != 0 && !(b.fixnumValue == -1 && a.fixnumValue == Value.fixnumMin) {
                        let x = a.fixnumValue, y = b.fixnumValue
                        let result = r.pc.pointee == Opcode.optDiv.rawValue ? IntegerMath.floorDiv(x, y) : IntegerMath.floorMod(x, y)
                        r.sp -= 1; r.sp[-1] = .fixnum(result); r.pc += 2
                        continue dispatch
                    }
                    let (next, t) = send(ec, r, r.callSites + r.pc[1]); r = next
                    if let t { thrown = t; break dispatch }
                case .optLt:
                    let a = r.sp[-2], b = r.sp[-1]
                    if a.raw & b.raw & basicOperationsMask == 1 {
                        r.sp -= 1; r.sp[-1] = .bool(Int64(bitPattern: a.raw) < Int64(bitPattern: b.raw)); r.pc += 2
                        continue dispatch
                    }
                    let (next, t) = send(ec, r, r.callSites + r.pc[1]); r = next
                    if let t { thrown = t; break dispatch }
                case .optLe:
                    let a = r.sp[-2], b = r.sp[-1]
                    if a.raw & b.raw & basicOperationsMask == 1 {
                        r.sp -= 1; r.sp[-1] = .bool(Int64(bitPattern: a.raw) <= Int64(bitPattern: b.raw)); r.pc += 2
                        continue dispatch
                    }
                    let (next, t) = send(ec, r, r.callSites + r.pc[1]); r = next
                    if let t { thrown = t; break dispatch }
                case .optGt:
                    let a = r.sp[-2], b = r.sp[-1]
                    if a.raw & b.raw & basicOperationsMask == 1 {
                        r.sp -= 1; r.sp[-1] = .bool(Int64(bitPattern: a.raw) > Int64(bitPattern: b.raw)); r.pc += 2
                        continue dispatch
                    }
                    let (next, t) = send(ec, r, r.callSites + r.pc[1]); r = next
                    if let t { thrown = t; break dispatch }
                case .optGe:
                    let a = r.sp[-2], b = r.sp[-1]
                    if a.raw & b.raw & basicOperationsMask == 1 {
                        r.sp -= 1; r.sp[-1] = .bool(Int64(bitPattern: a.raw) >= Int64(bitPattern: b.raw)); r.pc += 2
                        continue dispatch
                    }
                    let (next, t) = send(ec, r, r.callSites + r.pc[1]); r = next
                    if let t { thrown = t; break dispatch }
                case .optEq:
                    let a = r.sp[-2], b = r.sp[-1]
                    if a.raw & b.raw & basicOperationsMask == 1 {
                        r.sp -= 1; r.sp[-1] = .bool(a.raw == b.raw); r.pc += 2
                        continue dispatch
                    }
                    let (next, t) = send(ec, r, r.callSites + r.pc[1]); r = next
                    if let t { thrown = t; break dispatch }
                case .optNeq:
                    let a = r.sp[-2], b = r.sp[-1]
                    if a.raw & b.raw & basicOperationsMask == 1 {
                        r.sp -= 1; r.sp[-1] = .bool(a.raw != b.raw); r.pc += 2
                        continue dispatch
                    }
                    let (next, t) = send(ec, r, r.callSites + r.pc[1]); r = next
                    if let t { thrown = t; break dispatch }
                case .optAref:
                    let a = r.sp[-2], i = r.sp[-1]
                    if i.isFixnum, basicOperationsMask != 0, let arr = exactArray(a) {
                        var idx = Int(i.fixnumValue)
                        let count = arr.elements.count
                        if idx < 0 { idx += count }
                        r.sp -= 1
                        r.sp[-1] = idx >= 0 && idx < count ? arr.elements[idx] : .nil
                        r.pc += 2
                        continue dispatch
                    }
                    let (next, t) = send(ec, r, r.callSites + r.pc[1]); r = next
                    if let t { thrown = t; break dispatch }
                case .optAset:
                    let a = r.sp[-3], i = r.sp[-2], v = r.sp[-1]
                    if i.isFixnum, basicOperationsMask != 0, let arr = exactArray(a) {
                        let idx = Int(i.fixnumValue)
                        if idx >= 0 && idx < arr.elements.count {
                            arr.elements[idx] = v
                            r.sp -= 2; r.sp[-1] = v; r.pc += 2
                            continue dispatch
                        }
                    }
                    let (next, t) = send(ec, r, r.callSites + r.pc[1]); r = next
                    if let t { thrown = t; break dispatch }
                case .optLtLt:
                    if basicOperationsMask != 0, let arr = exactArray(r.sp[-2]) {
                        arr.elements.append(r.sp[-1])
                        r.sp -= 1; r.pc += 2
                        continue dispatch
                    }
                    let (next, t) = send(ec, r, r.callSites + r.pc[1]); r = next
                    if let t { thrown = t; break dispatch }
                case .optSize:
                    let v = r.sp[-1]
                    if basicOperationsMask != 0, let arr = exactArray(v) {
                        r.sp[-1] = .fixnum(Int64(arr.elements.count)); r.pc += 2
                        continue dispatch
                    }
                    let (next, t) = send(ec, r, r.callSites + r.pc[1]); r = next
                    if let t { thrown = t; break dispatch }
                case .optNot:
                    if basicOperationsMask != 0 {
                        r.sp[-1] = .bool(!r.sp[-1].isTruthy); r.pc += 2
                        continue dispatch
                    }
                    let (next, t) = send(ec, r, r.callSites + r.pc[1]); r = next
                    if let t { thrown = t; break dispatch }
                }
            }
            // Something was thrown from frame r.cfp (its pc already saved past the instruction).
            ec.cfp = r.cfp
            switch try unwind(ec, thrown) {
            case .resume:
                r = Registers(ec.cfp)
            case .finished(let v):
                return v
            }
        }
    }

    @inline(__always)
    func exactArray(_ v: Value) -> RArray? {
        guard v.isHeapObject, classPointer(v) == arrayClassPointer else { return nil }
        return unsafeDowncast(v.object, to: RArray.self)
    }

    @inline(__always)
    func crefOf(_ f: UnsafeMutablePointer<ControlFrame>) -> Cref {
        guard let c = f.pointee.cref else { return topCref }
        return Unmanaged<Cref>.fromOpaque(c).takeUnretainedValue()
    }

    // MARK: Calls from the loop

    // The calls from the loop take its registers by value and return the ones to continue with: the loop's
    // own `Registers` then never has its address taken, and the optimizer keeps pc, sp and cfp in machine
    // registers across the whole loop (passed `inout`, they were stored and reloaded at every instruction:
    // --no-jit fib(30) ran 20% slower).

    /// Generic send for `cs` (receiver and arguments on the stack). Saves the frame's pc past the
    /// 2-word instruction. Returns the registers to continue with and a thrown value, or nil when the call
    /// was set up (ISEQ frame pushed and loaded into the registers) or completed (cfunc result pushed).
    func send(_ ec: ExecutionContext, _ registers: Registers, _ cs: UnsafeMutablePointer<CallSite>) -> (Registers, Value?) {
        var r = registers
        let thrown = send(ec, &r, cs)
        return (r, thrown)
    }

    @inline(__always)
    func send(_ ec: ExecutionContext, _ r: inout Registers, _ cs: UnsafeMutablePointer<CallSite>) -> Value? {
        r.save(2)
        let argc = cs.pointee.argc
        let recv = r.sp[-argc - 1]
        let klassPointer = classPointer(recv)
        let klassRaw = UInt64(UInt(bitPattern: klassPointer))
        let entry: UnsafeMutableRawPointer
        if cs.pointee.cachedSerial == methodSerial && cs.pointee.cachedClass == klassRaw, let e = cs.pointee.cachedEntry {
            entry = e
        } else {
            let klass = Unmanaged<RClass>.fromOpaque(klassPointer).takeUnretainedValue()
            guard let me = findMethod(klass, cs.pointee.methodID) else {
                return noMethodError(cs.pointee.methodID, receiver: recv,
                                     variableLike: cs.pointee.flags & CallSite.Flags.variableLike != 0, ec: ec).value
            }
            entry = me.opaque
            fillCallCache(cs, entry: entry, klass: klassRaw)
        }
        var specval = Value(raw: 0)
        if let b = cs.pointee.blockISeq {
            r.cfp.pointee.blockISeq = b
            specval = SpecialSlot.block(r.cfp)
        }
        return invoke(ec, &r, entry: entry, recv: recv, argc: argc, specval: specval)
    }

    @inline(__always)
    func invoke(_ ec: ExecutionContext, _ r: inout Registers, entry: UnsafeMutableRawPointer, recv: Value, argc: Int,
                specval: Value) -> Value? {
        let kind = withEntry(entry) { $0.kind }
        switch kind {
        case .iseq:
            let (ip, cref) = withEntry(entry) { ($0.iseqPointer!, $0.cref?.pointer) }
            if let t = pushISeqFrame(ec, sp: r.sp, argc: argc, iseq: ip, selfValue: recv, specval: specval,
                                     flags: UInt64(FrameType.method.rawValue), methodEntry: entry, cref: cref) {
                return t
            }
            if _slowPath(traceEvents != 0), let t = traceMethodEntry(ec) {
                r = Registers(ec.cfp)
                return t
            }
            if jitEnabled {
                if let t = withUnretainedJIT({ enterJIT($0, ec, ip) }) ?? nil {
                    // JIT code may have raised from a deeper frame it pushed: unwind from there.
                    r = Registers(ec.cfp)
                    return t
                }
            }
            // A method entry is a collection safepoint (the new frame is complete).
            if heap.count >= heap.threshold || safepoints.isRequested || jr_safepoint_requested() != 0 { serviceSafepoint(ec) }
            r = Registers(ec.cfp)
            return nil
        case .cfunc:
            let argv = r.sp - argc
            switch callCFunction(ec, entry: entry, recv: recv, argv: argv, argc: argc, specval: specval) {
            case .success(let v):
                r.sp = argv
                r.sp[-1] = v
                r.pc = r.cfp.pointee.pc.unsafelyUnwrapped
                return nil
            case .failure(let e):
                return e.value
            }
        case .ivarReader, .ivarWriter:
            let (id, arity) = withEntry(entry) { ($0.ivarID, $0.arity) }
            if argc != arity { return argumentCountError(given: argc, expected: arity, ec: ec).value }
            if _slowPath(traceEvents != 0), let t = traceAccessor(.cCall, ec, entry: entry, receiver: recv) { return t }
            let argv = r.sp - argc
            if kind == .ivarReader {
                argv[-1] = recv.isHeapObject ? recv.object.ivar(id) : .nil
            } else {
                if recv.isHeapObject { recv.object.setIvar(id, argv[0]) }
                argv[-1] = argv[0]
            }
            if _slowPath(traceEvents != 0), let t = traceAccessor(.cReturn, ec, entry: entry, receiver: recv, returnValue: argv[-1]) {
                return t
            }
            r.sp = argv
            r.pc = r.cfp.pointee.pc.unsafelyUnwrapped
            return nil
        }
    }

    /// Counts the call for the JIT, compiles at the threshold and runs JIT code when there is some.
    func enterJIT(_ jit: JITCompiler, _ ec: ExecutionContext, _ ip: UnsafeMutableRawPointer) -> Value? {
        // JIT code fires no TracePoint events: nothing is compiled or entered while tracing.
        if _slowPath(traceEvents != 0) { return nil }
        let iseq = Unmanaged<ISeq>.fromOpaque(ip).takeUnretainedValue()
        iseq.callCount &+= 1
        if iseq.jitEntry == nil && iseq.callCount >= jit.callThreshold { jit.compile(iseq, ec: ec) }
        guard iseq.jitEntry != nil else { return nil }
        switch jit.enter(iseq, ec: ec) {
        case .interpret: return nil
        case .raise(let t): return t
        }
    }

    /// `yield` from the frame in `r` (arguments on the stack above a placeholder slot): the registers to
    /// continue with and a thrown value or nil.
    func invokeBlock(_ ec: ExecutionContext, _ r: Registers, argc: Int) -> (Registers, Value?) {
        var e = r.ep
        while let p = SpecialSlot.parentEnv(e[-1]) { e = p }
        guard let bf = SpecialSlot.blockFrame(e[-1]) else {
            return (r, makeException(localJumpErrorClass, "no block given (yield)", ec: ec))
        }
        if let t = pushBlockFrame(ec, sp: r.sp, argc: argc, blockFrame: bf, finish: false) { return (r, t) }
        return (Registers(ec.cfp), nil)
    }
}
