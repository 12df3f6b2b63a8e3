import GuestSyntax

/// Native entry points into guest code: running programs, calling methods and yielding from cfuncs.
/// Each one re-enters the interpreter (native recursion), so each checks the native stack first.
extension VM {
    /// Where a frame pushed from native code starts: just above the running frame's stack.
    func nativeBase(_ ec: ExecutionContext) -> UnsafeMutablePointer<Value> {
        ec.cfp >= ec.frameBase ? ec.cfp.pointee.sp : ec.stackBase
    }

    func checkNativeStack(_ ec: ExecutionContext) throws(GuestError) {
        if NativeStack.currentAddress() < ec.nativeStackLimit { throw stackError(ec) }
    }

    /// Runs a program ISEQ (top level or eval'd) with self = main. The ISEQ is kept alive by the caller.
    public func run(_ iseq: ISeq, ec: ExecutionContext? = nil) throws(GuestError) -> Value {
        let ec = ec ?? mainContext!
        try checkNativeStack(ec)
        let base = nativeBase(ec)
        base.pointee = .nil
        let type: FrameType = iseq.kind == .eval ? .eval : .top
        if let t = pushISeqFrame(ec, sp: base + 1, argc: 0, iseq: iseq.id, selfValue: mainObject, specval: Value(raw: 0),
                                 flags: UInt64(type.rawValue) | FrameFlags.finish, methodEntry: nil, cref: topCref.pointer) {
            throw GuestError(t)
        }
        return try execute(ec)
    }

    /// Calls `recv.name(*args)` from native code (`block`: the frame whose `blockISeq` is passed along).
    public func callMethod(_ recv: Value, _ id: Int, _ args: [Value], ec: ExecutionContext? = nil,
                           blockFrame: UnsafeMutablePointer<ControlFrame>? = nil) throws(GuestError) -> Value {
        let ec = ec ?? mainContext!
        try checkNativeStack(ec)
        guard let me = findMethod(classOf(recv), id) else {
            throw noMethodError(id, receiver: recv, variableLike: false, ec: ec)
        }
        let base = nativeBase(ec)
        if base + args.count + 2 >= ec.stackLimit { throw stackError(ec) }
        base.pointee = recv
        for (i, a) in args.enumerated() { base[1 + i] = a }
        let sp = base + 1 + args.count
        let specval = blockFrame.map { SpecialSlot.block($0) } ?? Value(raw: 0)
        switch me.kind {
        case .iseq:
            if let t = pushISeqFrame(ec, sp: sp, argc: args.count, iseq: me.iseqPointer!, selfValue: recv, specval: specval,
                                     flags: UInt64(FrameType.method.rawValue) | FrameFlags.finish,
                                     methodEntry: me.opaque, cref: me.cref?.pointer) {
                throw GuestError(t)
            }
            if _slowPath(traceEvents != 0), let t = traceMethodEntry(ec) {
                // The hook raised in the new frame: unwind it (it has no handler at its first instruction).
                switch try unwind(ec, t) {
                case .resume: return try execute(ec)
                case .finished(let v): return v
                }
            }
            return try execute(ec)
        case .cfunc:
            return try callCFunction(ec, entry: me.opaque, recv: recv, argv: base + 1, argc: args.count, specval: specval).get()
        case .ivarReader, .ivarWriter:
            let isReader = me.kind == .ivarReader
            if args.count != (isReader ? 0 : 1) {
                throw argumentCountError(given: args.count, expected: isReader ? 0 : 1, ec: ec)
            }
            if _slowPath(traceEvents != 0), let t = traceAccessor(.cCall, ec, entry: me.opaque, receiver: recv) { throw GuestError(t) }
            let result: Value
            if isReader {
                result = recv.isHeapObject ? recv.object.ivar(me.ivarID) : .nil
            } else {
                if recv.isHeapObject { recv.object.setIvar(me.ivarID, args[0]) }
                result = args[0]
            }
            if _slowPath(traceEvents != 0), let t = traceAccessor(.cReturn, ec, entry: me.opaque, receiver: recv, returnValue: result) {
                throw GuestError(t)
            }
            return result
        }
    }

    public func callMethod(_ recv: Value, _ name: String, _ args: [Value] = [], ec: ExecutionContext? = nil) throws(GuestError) -> Value {
        try callMethod(recv, symbols.id(name), args, ec: ec)
    }

    /// The block passed to the running cfunc frame (`ec.cfp`), if any.
    func blockOfCurrentFrame(_ ec: ExecutionContext) -> UnsafeMutablePointer<ControlFrame>? {
        guard ec.cfp >= ec.frameBase else { return nil }
        var e = ec.cfp.pointee.ep
        if ec.cfp.pointee.type != .cfunc {
            while let p = SpecialSlot.parentEnv(e[-1]) { e = p }
        }
        return SpecialSlot.blockFrame(e[-1])
    }

    /// Yields `args` to the block of the running cfunc.
    public func yieldBlock(_ args: [Value], ec: ExecutionContext) throws(GuestError) -> Value {
        try checkNativeStack(ec)
        guard let bf = blockOfCurrentFrame(ec) else {
            throw error(localJumpErrorClass, "no block given (yield)", ec: ec)
        }
        let base = nativeBase(ec)
        if base + args.count + 2 >= ec.stackLimit { throw stackError(ec) }
        base.pointee = .nil
        for (i, a) in args.enumerated() { base[1 + i] = a }
        if let t = pushBlockFrame(ec, sp: base + 1 + args.count, argc: args.count, blockFrame: bf, finish: true) {
            throw GuestError(t)
        }
        return try execute(ec)
    }

    /// Parses, compiles and runs `source` at top level (self = main). Syntax errors raise SyntaxError.
    public func evalString(_ source: String, fileName: String = "(eval)", ec: ExecutionContext? = nil) throws(GuestError) -> Value {
        let ec = ec ?? mainContext!
        let iseq: ISeq
        do {
            let node = try parseSource(source, fileName: fileName)
            iseq = try Compiler(vm: self, fileName: fileName).compileProgram(node, kind: .eval)
        } catch {
            throw self.error(syntaxErrorClass, "\(error.fileName):\(error.location.line): \(error.message)", ec: ec)
        }
        defer { reapZombies() }
        return try run(iseq, ec: ec)
    }

    /// Compiles a whole program (for `jitstack run`).
    public func compile(_ source: String, fileName: String) throws(SyntaxError) -> ISeq {
        let node = try parseSource(source, fileName: fileName)
        return try Compiler(vm: self, fileName: fileName).compileProgram(node, kind: .top)
    }
}
