/// Thread.new, Thread.current, Thread.pass, Thread#join, #value, #alive? (see `RThread`).
enum ThreadBuiltins {
    static func install(_ vm: VM) {
        let thread = vm.defineClass("Thread", superclass: vm.objectClass, kind: RClass.InstanceKind.none)
        _ = vm.threadErrorClass
        let meta = thread.metaclass!
        vm.builtinMethod(meta, "new", -1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
            try vm.newThread(this.object(as: RClass.self) ?? vm.objectClass, args.all, ec: ec)
        } }
        vm.builtinMethod(meta, "current", 0) { builtin($1, $2, $3, $4) { ec, vm, this, _ in
            vm.currentThread(this.object(as: RClass.self) ?? vm.objectClass, ec: ec)
        } }
        vm.builtinMethod(meta, "pass", 0) { builtin($1, $2, $3, $4) { ec, vm, _, _ in
            vm.passThread(ec: ec)
            return .nil
        } }
        vm.builtinMethod(thread, "join", 0) { builtin($1, $2, $3, $4) { ec, vm, this, _ throws(GuestError) in
            try vm.joinThread(try ThreadBuiltins.thread(this, vm, ec), ec: ec)
            return this
        } }
        vm.builtinMethod(thread, "value", 0) { builtin($1, $2, $3, $4) { ec, vm, this, _ throws(GuestError) in
            let t = try ThreadBuiltins.thread(this, vm, ec)
            try vm.joinThread(t, ec: ec)
            return t.result
        } }
        vm.builtinMethod(thread, "alive?", 0) { builtin($1, $2, $3, $4) { ec, vm, this, _ throws(GuestError) in
            let t = try ThreadBuiltins.thread(this, vm, ec)
            return .bool(t.context == nil || !t.isFinished)
        } }
    }

    static func thread(_ v: Value, _ vm: VM, _ ec: ExecutionContext) throws(GuestError) -> RThread {
        guard let t = v.object(as: RThread.self) else { throw vm.error(vm.typeErrorClass, "not a thread", ec: ec) }
        return t
    }
}
