/// Fiber.new, Fiber.yield, Fiber#resume, Fiber#alive? (see `RFiber`).
enum FiberBuiltins {
    static func install(_ vm: VM) {
        let fiber = vm.defineClass("Fiber", superclass: vm.objectClass, kind: RClass.InstanceKind.none)
        _ = vm.fiberErrorClass
        let meta = fiber.metaclass!
        vm.builtinMethod(meta, "new", 0) { builtin($1, $2, $3, $4) { ec, vm, this, _ throws(GuestError) in
            try vm.newFiber(this.object(as: RClass.self) ?? vm.objectClass, ec: ec)
        } }
        vm.builtinMethod(meta, "yield", -1) { builtin($1, $2, $3, $4) { ec, vm, _, args throws(GuestError) in
            try vm.yieldFiber(args.all, ec: ec)
        } }
        vm.builtinMethod(fiber, "resume", -1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
            guard let f = this.object(as: RFiber.self) else {
                throw vm.error(vm.typeErrorClass, "not a fiber", ec: ec)
            }
            return try vm.resumeFiber(f, args.all, ec: ec)
        } }
        vm.builtinMethod(fiber, "alive?", 0) { builtin($1, $2, $3, $4) { ec, vm, this, _ throws(GuestError) in
            guard let f = this.object(as: RFiber.self) else {
                throw vm.error(vm.typeErrorClass, "not a fiber", ec: ec)
            }
            return .bool(f.state != .finished)
        } }
    }
}
