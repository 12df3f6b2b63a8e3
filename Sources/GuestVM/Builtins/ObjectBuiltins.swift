/// Methods every object has (BasicObject/Object/Kernel), plus nil, true, false and Symbol.
enum ObjectBuiltins {
    static func install(_ vm: VM) {
        let basic = vm.basicObjectClass!
        let object = vm.objectClass!
        vm.builtinMethod(basic, "initialize", -1) { builtin($1, $2, $3, $4) { ec, vm, _, args throws(GuestError) in
            try vm.expectArgs(args, 0...0, ec: ec)
            return .nil
        } }
        vm.builtinMethod(basic, "==", 1) { builtin($1, $2, $3, $4) { _, _, this, args in .bool(this == args[0]) } }
        vm.builtinMethod(basic, "equal?", 1) { builtin($1, $2, $3, $4) { _, _, this, args in .bool(this == args[0]) } }
        vm.builtinMethod(basic, "!", 0) { builtin($1, $2, $3, $4) { _, _, this, _ in .bool(!this.isTruthy) } }
        vm.builtinMethod(basic, "!=", 1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
            .bool(!(try vm.callMethod(this, vm.ids.eq, [args[0]], ec: ec)).isTruthy)
        } }
        vm.builtinMethod(basic, "__send__", -1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
            try vm.send(this, args, ec: ec)
        } }
        vm.builtinMethod(object, "send", -1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
            try vm.send(this, args, ec: ec)
        } }
        vm.builtinMethod(object, "class", 0) { builtin($1, $2, $3, $4) { _, vm, this, _ in .object(vm.realClassOf(this)) } }
        vm.builtinMethod(object, "inspect", 0) { builtin($1, $2, $3, $4) { ec, vm, this, _ throws(GuestError) in
            vm.newString(try vm.inspect(this, ec: ec))
        } }
        vm.builtinMethod(object, "to_s", 0) { builtin($1, $2, $3, $4) { ec, vm, this, _ throws(GuestError) in
            vm.newString(try vm.toSString(this, ec: ec))
        } }
        vm.builtinMethod(object, "nil?", 0) { builtin($1, $2, $3, $4) { _, _, this, _ in .bool(this.isNil) } }
        vm.builtinMethod(object, "===", 1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
            try vm.callMethod(this, vm.ids.eq, [args[0]], ec: ec)
        } }
        for name in ["is_a?", "kind_of?"] {
            vm.builtinMethod(object, name, 1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
                guard let c = args[0].object(as: RClass.self) else {
                    throw vm.error(vm.typeErrorClass, "class or module required", ec: ec)
                }
                return .bool(vm.classOf(this).isSubclass(of: c))
            } }
        }
        vm.builtinMethod(object, "instance_of?", 1) { builtin($1, $2, $3, $4) { _, vm, this, args in
            .bool(args[0].object(as: RClass.self) === vm.realClassOf(this))
        } }
        vm.builtinMethod(object, "respond_to?", -1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
            try vm.expectArgs(args, 1...2, ec: ec)
            let id = try vm.symbolOrString(args[0], ec: ec)
            return .bool(vm.findMethod(vm.classOf(this), id) != nil)
        } }
        vm.builtinMethod(object, "object_id", 0) { builtin($1, $2, $3, $4) { _, vm, this, _ in
            vm.integer(Int64(bitPattern: this.raw >> 1))
        } }
        vm.builtinMethod(object, "hash", 0) { builtin($1, $2, $3, $4) { _, vm, this, _ in
            vm.integer(Int64(bitPattern: this.raw >> 1))
        } }
        vm.builtinMethod(object, "freeze", 0) { builtin($1, $2, $3, $4) { _, _, this, _ in this } }
        vm.builtinMethod(object, "frozen?", 0) { builtin($1, $2, $3, $4) { _, _, this, _ in .bool(!this.isHeapObject) } }
        vm.builtinMethod(object, "instance_variable_get", 1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
            var name = vm.symbols.name(try vm.symbolOrString(args[0], ec: ec))
            if name.hasPrefix("@") { name.removeFirst() }
            return this.isHeapObject ? this.object.ivar(vm.symbols.id(name)) : .nil
        } }
        vm.builtinMethod(object, "instance_variable_set", 2) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
            var name = vm.symbols.name(try vm.symbolOrString(args[0], ec: ec))
            if name.hasPrefix("@") { name.removeFirst() }
            if this.isHeapObject { this.object.setIvar(vm.symbols.id(name), args[1]) }
            return args[1]
        } }

        // nil, true, false
        let nilClass = vm.nilClass!
        vm.builtinMethod(nilClass, "to_s", 0) { builtin($1, $2, $3, $4) { _, vm, _, _ in vm.newString("") } }
        vm.builtinMethod(nilClass, "to_a", 0) { builtin($1, $2, $3, $4) { _, vm, _, _ in vm.newArray([]) } }
        vm.builtinMethod(nilClass, "to_i", 0) { builtin($1, $2, $3, $4) { _, _, _, _ in .fixnum(0) } }
        vm.builtinMethod(nilClass, "inspect", 0) { builtin($1, $2, $3, $4) { _, vm, _, _ in vm.newString("nil") } }
        for cls in [vm.nilClass!, vm.falseClass!] {
            vm.builtinMethod(cls, "&", 1) { builtin($1, $2, $3, $4) { _, _, _, _ in .false } }
            vm.builtinMethod(cls, "|", 1) { builtin($1, $2, $3, $4) { _, _, _, args in .bool(args[0].isTruthy) } }
        }
        vm.builtinMethod(vm.trueClass, "&", 1) { builtin($1, $2, $3, $4) { _, _, _, args in .bool(args[0].isTruthy) } }
        vm.builtinMethod(vm.trueClass, "|", 1) { builtin($1, $2, $3, $4) { _, _, _, _ in .true } }
        vm.builtinMethod(vm.trueClass, "^", 1) { builtin($1, $2, $3, $4) { _, _, _, args in .bool(!args[0].isTruthy) } }
        vm.builtinMethod(vm.falseClass, "^", 1) { builtin($1, $2, $3, $4) { _, _, _, args in .bool(args[0].isTruthy) } }

        // Symbol
        let symbol = vm.symbolClass!
        vm.builtinMethod(symbol, "to_s", 0) { builtin($1, $2, $3, $4) { _, vm, this, _ in vm.newString(vm.symbols.name(this.symbolID)) } }
        vm.builtinMethod(symbol, "to_sym", 0) { builtin($1, $2, $3, $4) { _, _, this, _ in this } }
        vm.builtinMethod(symbol, "size", 0) { builtin($1, $2, $3, $4) { _, vm, this, _ in
            .fixnum(Int64(vm.symbols.name(this.symbolID).unicodeScalars.count))
        } }
        vm.builtinMethod(symbol, "length", 0) { builtin($1, $2, $3, $4) { _, vm, this, _ in
            .fixnum(Int64(vm.symbols.name(this.symbolID).unicodeScalars.count))
        } }
    }
}

extension VM {
    /// `obj.send(:name, *args)`.
    func send(_ recv: Value, _ args: Args, ec: ExecutionContext) throws(GuestError) -> Value {
        guard args.count >= 1 else { throw error(argumentErrorClass, "no method name given", ec: ec) }
        let id = try symbolOrString(args[0], ec: ec)
        return try callMethod(recv, id, Array(args.all.dropFirst()), ec: ec, blockFrame: blockOfCurrentFrame(ec))
    }
}
