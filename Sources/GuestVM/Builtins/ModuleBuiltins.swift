/// Module and Class: new, name, remove_method, attr_*, and the usual introspection.
enum ModuleBuiltins {
    static func install(_ vm: VM) {
        let module = vm.moduleClass!
        let klass = vm.classClass!
        vm.builtinMethod(klass, "new", -1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
            let cls = this.object(as: RClass.self)!
            let obj = try vm.allocate(cls, ec: ec)
            _ = try vm.callMethod(obj, vm.ids.initialize, args.all, ec: ec, blockFrame: vm.blockOfCurrentFrame(ec))
            return obj
        } }
        vm.builtinMethod(klass, "allocate", 0) { builtin($1, $2, $3, $4) { ec, vm, this, _ throws(GuestError) in
            try vm.allocate(this.object(as: RClass.self)!, ec: ec)
        } }
        vm.builtinMethod(klass, "superclass", 0) { builtin($1, $2, $3, $4) { _, _, this, _ in
            var s = this.object(as: RClass.self)!.superclass
            while let c = s, c.isMetaclass { s = c.superclass }
            return s.map { .object($0) } ?? .nil
        } }
        for name in ["name", "to_s", "inspect"] {
            vm.builtinMethod(module, name, 0) { builtin($1, $2, $3, $4) { _, vm, this, _ in
                vm.newString(this.object(as: RClass.self)!.name)
            } }
        }
        vm.builtinMethod(module, "===", 1) { builtin($1, $2, $3, $4) { _, vm, this, args in
            .bool(vm.classOf(args[0]).isSubclass(of: this.object(as: RClass.self)!))
        } }
        vm.builtinMethod(module, "==", 1) { builtin($1, $2, $3, $4) { _, _, this, args in .bool(this == args[0]) } }
        vm.builtinMethod(module, "remove_method", -1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
            let cls = this.object(as: RClass.self)!
            for i in 0..<args.count {
                let id = try vm.symbolOrString(args[i], ec: ec)
                if !vm.removeMethod(cls, id) {
                    throw vm.error(vm.nameErrorClass, "method `\(vm.symbols.name(id))' not defined in \(cls.name)", ec: ec)
                }
            }
            return this
        } }
        vm.builtinMethod(module, "method_defined?", -1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
            try vm.expectArgs(args, 1...2, ec: ec)
            let id = try vm.symbolOrString(args[0], ec: ec)
            return .bool(vm.findMethod(this.object(as: RClass.self)!, id) != nil)
        } }
        vm.builtinMethod(module, "instance_methods", -1) { builtin($1, $2, $3, $4) { _, vm, this, _ in
            let cls = this.object(as: RClass.self)!
            return vm.newArray(cls.methods.keys.sorted().map { .symbol($0) })
        } }
        for name in ["private", "public", "protected", "module_function"] {
            vm.builtinMethod(module, name, -1) { builtin($1, $2, $3, $4) { _, _, _, args in
                args.count == 1 ? args[0] : .nil
            } }
        }
        for (name, reader, writer) in [("attr_reader", true, false), ("attr_writer", false, true), ("attr_accessor", true, true)] {
            let fn: CFunction
            switch (reader, writer) {
            case (true, false):
                fn = { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
                    try vm.defineAccessors(this, args, reader: true, writer: false, ec: ec) } }
            case (false, true):
                fn = { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
                    try vm.defineAccessors(this, args, reader: false, writer: true, ec: ec) } }
            default:
                fn = { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
                    try vm.defineAccessors(this, args, reader: true, writer: true, ec: ec) } }
            }
            vm.builtinMethod(module, name, -1, fn)
        }
    }
}

extension VM {
    /// A new, uninitialised instance of `cls`.
    func allocate(_ cls: RClass, ec: ExecutionContext) throws(GuestError) -> Value {
        switch cls.instanceKind {
        case .object: return heap.track(RObject(klass: cls))
        case .string: return heap.track(RString(klass: cls, value: ""))
        case .array: return heap.track(RArray(klass: cls, elements: []))
        case .exception: return heap.track(RException(klass: cls))
        case .none:
            throw error(noMethodErrorClass, "undefined method `new' for \(cls.name):Class", ec: ec)
        }
    }

    func defineAccessors(_ this: Value, _ args: Args, reader: Bool, writer: Bool, ec: ExecutionContext) throws(GuestError) -> Value {
        let cls = this.object(as: RClass.self)!
        var names: [Value] = []
        for i in 0..<args.count {
            let id = try symbolOrString(args[i], ec: ec)
            let name = symbols.name(id)
            if reader {
                addMethod(cls, MethodEntry(name: name, nameID: id, body: .ivarReader(id), owner: cls, cref: nil))
                names.append(.symbol(id))
            }
            if writer {
                let w = symbols.id(name + "=")
                addMethod(cls, MethodEntry(name: name + "=", nameID: w, body: .ivarWriter(id), owner: cls, cref: nil))
                names.append(.symbol(w))
            }
        }
        return newArray(names)
    }
}
