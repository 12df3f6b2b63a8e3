/// puts, p, print, raise, eval, block_given? and friends (private methods of Object in Ruby).
enum KernelBuiltins {
    static func install(_ vm: VM) {
        let object = vm.objectClass!
        vm.builtinMethod(object, "puts", -1) { builtin($1, $2, $3, $4) { ec, vm, _, args throws(GuestError) in
            if args.count == 0 { vm.output.write("\n") }
            for i in 0..<args.count { try vm.putsValue(args[i], ec: ec, depth: 0) }
            return .nil
        } }
        vm.builtinMethod(object, "print", -1) { builtin($1, $2, $3, $4) { ec, vm, _, args throws(GuestError) in
            for i in 0..<args.count { vm.output.write(try vm.toSString(args[i], ec: ec)) }
            return .nil
        } }
        vm.builtinMethod(object, "warn", -1) { builtin($1, $2, $3, $4) { ec, vm, _, args throws(GuestError) in
            var text = ""
            for i in 0..<args.count {
                let s = try vm.toSString(args[i], ec: ec)
                text += s.hasSuffix("\n") ? s : s + "\n"
            }
            vm.output.flush()
            vm.writeError(text)
            return .nil
        } }
        vm.builtinMethod(object, "p", -1) { builtin($1, $2, $3, $4) { ec, vm, _, args throws(GuestError) in
            for i in 0..<args.count { vm.output.write(try vm.inspect(args[i], ec: ec) + "\n") }
            switch args.count {
            case 0: return .nil
            case 1: return args[0]
            default: return vm.newArray(args.all)
            }
        } }
        vm.builtinMethod(object, "raise", -1, hidden: true) { builtin($1, $2, $3, $4) { ec, vm, _, args throws(GuestError) in
            throw GuestError(try vm.exceptionToRaise(args, ec: ec))
        } }
        vm.builtinMethod(object, "eval", -1) { builtin($1, $2, $3, $4) { ec, vm, _, args throws(GuestError) in
            try vm.expectArgs(args, 1...4, ec: ec)
            let source = try vm.expectString(args[0], ec: ec)
            return try vm.evalString(source, ec: ec)
        } }
        vm.builtinMethod(object, "block_given?", 0) { builtin($1, $2, $3, $4) { ec, vm, _, _ throws(GuestError) in
            // The caller of block_given? is the frame below this cfunc's frame.
            let caller = ec.cfp - 1
            guard caller >= ec.frameBase else { return .false }
            var e = caller.pointee.ep
            if caller.pointee.type != .cfunc {
                while let p = SpecialSlot.parentEnv(e[-1]) { e = p }
            }
            return .bool(SpecialSlot.blockFrame(e[-1]) != nil)
        } }
        vm.builtinMethod(object, "exit", -1) { builtin($1, $2, $3, $4) { ec, vm, _, args throws(GuestError) in
            let status = args.count > 0 ? (vm.intValue(args[0]) ?? (args[0] == .false ? 1 : 0)) : 0
            throw GuestError(vm.makeExit(Int32(truncatingIfNeeded: status)))
        } }
        let binding = vm.defineClass("Binding", superclass: vm.objectClass)
        vm.setConstant(vm.symbols.id("TOPLEVEL_BINDING"), vm.heap.track(RObject(klass: binding)), in: vm.objectClass)
    }
}

extension VM {
    /// `puts` of one value: arrays one element per line (recursively), nil as an empty line.
    func putsValue(_ v: Value, ec: ExecutionContext, depth: Int) throws(GuestError) {
        if let a = v.object(as: RArray.self) {
            guard inspecting.insert(v.raw).inserted else {
                output.write("[...]\n")
                return
            }
            defer { inspecting.remove(v.raw) }
            try checkNativeStack(ec)
            for e in a.elements { try putsValue(e, ec: ec, depth: depth + 1) }
            return
        }
        let s = try toSString(v, ec: ec)
        output.write(s)
        if !s.hasSuffix("\n") { output.write("\n") }
    }

    /// What `raise(args)` raises.
    func exceptionToRaise(_ args: Args, ec: ExecutionContext) throws(GuestError) -> Value {
        var exc: Value
        switch args.count {
        case 0:
            return makeException(runtimeErrorClass, "unhandled exception", ec: ec)
        case 1 where stringValue(args[0]) != nil:
            return makeException(runtimeErrorClass, stringValue(args[0])!, ec: ec)
        default:
            let first = args[0]
            if first.object(as: RClass.self) != nil {
                exc = try callMethod(first, "new", args.count > 1 ? [args[1]] : [], ec: ec)
            } else if args.count > 1 {
                exc = try callMethod(first, "exception", [args[1]], ec: ec)
            } else {
                exc = first
            }
        }
        guard let e = exc.object(as: RException.self) else {
            throw error(typeErrorClass, "exception class/object expected", ec: ec)
        }
        if e.backtrace == nil { e.backtrace = backtrace(of: ec) }
        return exc
    }

    /// The internal exception `exit` raises (SystemExit), carrying the status.
    func makeExit(_ status: Int32) -> Value {
        let cls = defineClass("SystemExit", superclass: exceptionClass)
        let e = RException(klass: cls)
        e.message = newString("exit")
        e.setIvar(symbols.id("status"), .fixnum(Int64(status)))
        return heap.track(e)
    }
}
