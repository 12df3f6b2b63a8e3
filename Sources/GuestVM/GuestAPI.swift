import CShims

/// The `jr_guest_api` table C cfuncs use (see `CShims/include/jr_guest_api.h`).
///
/// Functions that may fail complete their Swift work first (`complete`), leaving the thrown object in
/// `ec.pendingThrow`, and only then jump with `jr_protect_unwind` to the innermost protect point (the
/// one the VM called the running C cfunc through). The jump skips the cfunc's C frames and the one
/// Swift closure frame below, which at that moment holds only plain words (no references, no
/// in-progress accesses), so nothing is leaked or left half-done.
enum GuestAPI {
    typealias Outcome = (value: jr_value, unwindTo: UnsafeMutableRawPointer?)

    static func context(_ ecp: UnsafeMutableRawPointer?) -> ExecutionContext {
        Unmanaged<ExecutionContext>.fromOpaque(ecp!).takeUnretainedValue()
    }

    /// Runs `body`; on a guest throw stores it and returns where to unwind to.
    static func complete(_ ecp: UnsafeMutableRawPointer?,
                         _ body: (ExecutionContext, VM) throws(GuestError) -> Value) -> Outcome {
        let ec = context(ecp)
        do {
            return (try body(ec, ec.vm).raw, nil)
        } catch {
            ec.pendingThrow = error.value
            guard let top = ec.protectTop.pointee else {
                fatalError("jr_guest_api: a guest error escaped with no cfunc protect point active")
            }
            return (0, top)
        }
    }

    static func string(_ p: UnsafePointer<CChar>?) -> String { p.map { String(cString: $0) } ?? "" }

    static func makeTable() -> jr_guest_api {
        var api = jr_guest_api()
        api.version = 1
        api.nil_value = Value.nil.raw
        api.true_value = Value.true.raw
        api.false_value = Value.false.raw
        api.funcall = { ecp, recv, name, argc, argv in
            let o = GuestAPI.complete(ecp) { ec, vm throws(GuestError) in
                let args = (0..<Int(argc)).map { Value(raw: argv![$0]) }
                return try vm.callMethod(Value(raw: recv), vm.symbols.id(GuestAPI.string(name)), args, ec: ec)
            }
            if let to = o.unwindTo { jr_protect_unwind(to) }
            return o.value
        }
        api.yield = { ecp, argc, argv in
            let o = GuestAPI.complete(ecp) { ec, vm throws(GuestError) in
                try vm.yieldBlock((0..<Int(argc)).map { Value(raw: argv![$0]) }, ec: ec)
            }
            if let to = o.unwindTo { jr_protect_unwind(to) }
            return o.value
        }
        api.block_given = { ecp in
            let ec = GuestAPI.context(ecp)
            return ec.vm.blockOfCurrentFrame(ec) != nil ? 1 : 0
        }
        api.raise = { ecp, cls, msg in
            let o = GuestAPI.complete(ecp) { ec, vm throws(GuestError) in
                let name = GuestAPI.string(cls)
                let klass = vm.constant(name)?.object(as: RClass.self) ?? vm.runtimeErrorClass!
                let e = vm.makeException(klass.isSubclass(of: vm.exceptionClass) ? klass : vm.runtimeErrorClass,
                                         GuestAPI.string(msg), ec: ec)
                throw GuestError(e)
            }
            jr_protect_unwind(o.unwindTo)
        }
        api.eval = { ecp, source in
            let o = GuestAPI.complete(ecp) { ec, vm throws(GuestError) in
                try vm.evalString(GuestAPI.string(source), ec: ec)
            }
            if let to = o.unwindTo { jr_protect_unwind(to) }
            return o.value
        }
        api.define_method = { ecp, klass, name, fn, arity in
            let o = GuestAPI.complete(ecp) { ec, vm throws(GuestError) in
                guard let c = Value(raw: klass).object(as: RClass.self), let fn else {
                    throw vm.error(vm.typeErrorClass, "define_method needs a class and a function", ec: ec)
                }
                vm.defineCFunction(c, GuestAPI.string(name), arity: Int(arity), protected: true, fn)
                return .nil
            }
            if let to = o.unwindTo { jr_protect_unwind(to) }
        }
        api.remove_method = { ecp, klass, name in
            let o = GuestAPI.complete(ecp) { ec, vm throws(GuestError) in
                guard let c = Value(raw: klass).object(as: RClass.self) else {
                    throw vm.error(vm.typeErrorClass, "remove_method needs a class", ec: ec)
                }
                let n = GuestAPI.string(name)
                if !vm.removeMethod(c, vm.symbols.id(n)) {
                    throw vm.error(vm.nameErrorClass, "method `\(n)' not defined in \(c.name)", ec: ec)
                }
                return .nil
            }
            if let to = o.unwindTo { jr_protect_unwind(to) }
        }
        api.get_constant = { ecp, name in
            let o = GuestAPI.complete(ecp) { ec, vm throws(GuestError) in
                let n = GuestAPI.string(name)
                guard let v = vm.constant(n) else { throw vm.error(vm.nameErrorClass, "uninitialized constant \(n)", ec: ec) }
                return v
            }
            if let to = o.unwindTo { jr_protect_unwind(to) }
            return o.value
        }
        api.int_to_value = { ecp, n in GuestAPI.context(ecp).vm.integer(n).raw }
        api.value_to_int = { ecp, v in
            let ec = GuestAPI.context(ecp)
            if let n = ec.vm.intValue(Value(raw: v)) { return n }
            let o = GuestAPI.complete(ecp) { ec, vm throws(GuestError) in
                throw vm.error(vm.typeErrorClass, "no implicit conversion of \(vm.typeNameForConversion(Value(raw: v))) into Integer", ec: ec)
            }
            jr_protect_unwind(o.unwindTo)
        }
        api.is_integer = { v in
            let value = Value(raw: v)
            if value.isFixnum { return 1 }
            return value.object(as: RBoxedInteger.self) != nil ? 1 : 0
        }
        api.string_new = { ecp, s in GuestAPI.context(ecp).vm.newString(GuestAPI.string(s)).raw }
        api.string_copy = { ecp, v, buf, size in
            let ec = GuestAPI.context(ecp)
            if let s = ec.vm.stringValue(Value(raw: v)) {
                let bytes = Array(s.utf8)
                if let buf, size > 0 {
                    let n = min(bytes.count, Int(size) - 1)
                    for i in 0..<n { buf[i] = CChar(bitPattern: bytes[i]) }
                    buf[n] = 0
                }
                return Int64(bytes.count)
            }
            let o = GuestAPI.complete(ecp) { ec, vm throws(GuestError) in
                throw vm.error(vm.typeErrorClass, "no implicit conversion of \(vm.typeNameForConversion(Value(raw: v))) into String", ec: ec)
            }
            jr_protect_unwind(o.unwindTo)
        }
        return api
    }
}
