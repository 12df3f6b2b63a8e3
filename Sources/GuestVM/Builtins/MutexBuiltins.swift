/// Mutex.new, #lock, #unlock, #try_lock, #synchronize, #locked?, #owned? (see `RMutex`).
enum MutexBuiltins {
    static func install(_ vm: VM) {
        let mutexClass = vm.defineClass("Mutex", superclass: vm.objectClass, kind: RClass.InstanceKind.none)
        if let thread = vm.constant("Thread")?.object(as: RClass.self) {
            vm.setConstant(vm.symbols.id("Mutex"), .object(mutexClass), in: thread)  // Thread::Mutex
        }
        let meta = mutexClass.metaclass!
        vm.builtinMethod(meta, "new", 0) { builtin($1, $2, $3, $4) { _, vm, this, _ in
            vm.heap.track(RMutex(klass: this.object(as: RClass.self) ?? vm.objectClass))
        } }
        vm.builtinMethod(mutexClass, "lock", 0) { builtin($1, $2, $3, $4) { ec, vm, this, _ throws(GuestError) in
            try vm.lockMutex(try MutexBuiltins.mutex(this, vm, ec), ec: ec)
            return this
        } }
        vm.builtinMethod(mutexClass, "unlock", 0) { builtin($1, $2, $3, $4) { ec, vm, this, _ throws(GuestError) in
            try vm.unlockMutex(try MutexBuiltins.mutex(this, vm, ec), ec: ec)
            return this
        } }
        vm.builtinMethod(mutexClass, "try_lock", 0) { builtin($1, $2, $3, $4) { ec, vm, this, _ throws(GuestError) in
            .bool(try MutexBuiltins.mutex(this, vm, ec).tryLock(vm.currentMutator))
        } }
        vm.builtinMethod(mutexClass, "synchronize", 0) { builtin($1, $2, $3, $4) { ec, vm, this, _ throws(GuestError) in
            try vm.synchronize(try MutexBuiltins.mutex(this, vm, ec), ec: ec)
        } }
        vm.builtinMethod(mutexClass, "locked?", 0) { builtin($1, $2, $3, $4) { ec, vm, this, _ throws(GuestError) in
            .bool(try MutexBuiltins.mutex(this, vm, ec).isLocked)
        } }
        vm.builtinMethod(mutexClass, "owned?", 0) { builtin($1, $2, $3, $4) { ec, vm, this, _ throws(GuestError) in
            .bool(try MutexBuiltins.mutex(this, vm, ec).isOwned(by: vm.currentMutator))
        } }
    }

    static func mutex(_ v: Value, _ vm: VM, _ ec: ExecutionContext) throws(GuestError) -> RMutex {
        guard let m = v.object(as: RMutex.self) else { throw vm.error(vm.typeErrorClass, "not a mutex", ec: ec) }
        return m
    }
}
