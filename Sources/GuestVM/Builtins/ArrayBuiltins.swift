/// Array methods that need no block (block-taking ones are guest code in the prelude).
enum ArrayBuiltins {
    static func install(_ vm: VM) {
        let array = vm.arrayClass!
        vm.builtinMethod(array, "initialize", -1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
            try vm.expectArgs(args, 0...2, ec: ec)
            if args.count >= 1 {
                let n = try vm.expectInteger(args[0], ec: ec)
                if n < 0 { throw vm.error(vm.argumentErrorClass, "negative array size", ec: ec) }
                if n > 1 << 26 { throw vm.error(vm.argumentErrorClass, "array size too big", ec: ec) }
                this.object(as: RArray.self)!.elements = Array(repeating: args.count == 2 ? args[1] : .nil, count: Int(n))
            }
            return .nil
        } }
        vm.builtinMethod(array, "[]", -1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
            try vm.expectArgs(args, 1...2, ec: ec)
            let a = this.object(as: RArray.self)!.elements
            var i = Int(try vm.expectInteger(args[0], ec: ec))
            if i < 0 { i += a.count }
            if args.count == 2 {
                let n = Int(try vm.expectInteger(args[1], ec: ec))
                if i < 0 || i > a.count || n < 0 { return .nil }
                return vm.newArray(Array(a[i..<min(a.count, i + n)]))
            }
            return i >= 0 && i < a.count ? a[i] : .nil
        } }
        vm.builtinMethod(array, "[]=", 2) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
            let arr = this.object(as: RArray.self)!
            var i = Int(try vm.expectInteger(args[0], ec: ec))
            if i < 0 { i += arr.elements.count }
            if i < 0 {
                throw vm.error(vm.indexErrorClass, "index \(i - arr.elements.count) too small for array; minimum: -\(arr.elements.count)", ec: ec)
            }
            if i > 1 << 26 { throw vm.error(vm.indexErrorClass, "index \(i) too big", ec: ec) }
            while arr.elements.count <= i { arr.elements.append(.nil) }
            arr.elements[i] = args[1]
            return args[1]
        } }
        vm.builtinMethod(array, "<<", 1) { builtin($1, $2, $3, $4) { _, _, this, args in
            this.object(as: RArray.self)!.elements.append(args[0])
            return this
        } }
        vm.builtinMethod(array, "push", -1) { builtin($1, $2, $3, $4) { _, _, this, args in
            this.object(as: RArray.self)!.elements.append(contentsOf: args.all)
            return this
        } }
        vm.builtinMethod(array, "unshift", -1) { builtin($1, $2, $3, $4) { _, _, this, args in
            this.object(as: RArray.self)!.elements.insert(contentsOf: args.all, at: 0)
            return this
        } }
        vm.builtinMethod(array, "pop", 0) { builtin($1, $2, $3, $4) { _, _, this, _ in
            this.object(as: RArray.self)!.elements.popLast() ?? .nil
        } }
        vm.builtinMethod(array, "shift", 0) { builtin($1, $2, $3, $4) { _, _, this, _ in
            let arr = this.object(as: RArray.self)!
            return arr.elements.isEmpty ? .nil : arr.elements.removeFirst()
        } }
        for name in ["size", "length"] {
            vm.builtinMethod(array, name, 0) { builtin($1, $2, $3, $4) { _, _, this, _ in
                .fixnum(Int64(this.object(as: RArray.self)!.elements.count))
            } }
        }
        vm.builtinMethod(array, "empty?", 0) { builtin($1, $2, $3, $4) { _, _, this, _ in
            .bool(this.object(as: RArray.self)!.elements.isEmpty)
        } }
        vm.builtinMethod(array, "first", -1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
            try vm.expectArgs(args, 0...1, ec: ec)
            let list = this.object(as: RArray.self)!.elements
            guard args.count == 1 else { return list.first ?? .nil }
            let n = try vm.expectInteger(args[0], ec: ec)
            if n < 0 { throw vm.error(vm.argumentErrorClass, "negative array size", ec: ec) }
            return vm.newArray(Array(list.prefix(Int(n))))
        } }
        vm.builtinMethod(array, "last", -1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
            try vm.expectArgs(args, 0...1, ec: ec)
            let list = this.object(as: RArray.self)!.elements
            guard args.count == 1 else { return list.last ?? .nil }
            let n = try vm.expectInteger(args[0], ec: ec)
            if n < 0 { throw vm.error(vm.argumentErrorClass, "negative array size", ec: ec) }
            return vm.newArray(Array(list.suffix(Int(n))))
        } }
        vm.builtinMethod(array, "clear", 0) { builtin($1, $2, $3, $4) { _, _, this, _ in
            this.object(as: RArray.self)!.elements.removeAll()
            return this
        } }
        vm.builtinMethod(array, "dup", 0) { builtin($1, $2, $3, $4) { _, vm, this, _ in
            vm.newArray(this.object(as: RArray.self)!.elements)
        } }
        vm.builtinMethod(array, "reverse", 0) { builtin($1, $2, $3, $4) { _, vm, this, _ in
            vm.newArray(this.object(as: RArray.self)!.elements.reversed())
        } }
        vm.builtinMethod(array, "+", 1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
            guard let other = args[0].object(as: RArray.self) else {
                throw vm.error(vm.typeErrorClass, "no implicit conversion of \(vm.typeNameForConversion(args[0])) into Array", ec: ec)
            }
            return vm.newArray(this.object(as: RArray.self)!.elements + other.elements)
        } }
        vm.builtinMethod(array, "concat", 1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
            guard let other = args[0].object(as: RArray.self) else {
                throw vm.error(vm.typeErrorClass, "no implicit conversion of \(vm.typeNameForConversion(args[0])) into Array", ec: ec)
            }
            this.object(as: RArray.self)!.elements += other.elements
            return this
        } }
        for name in ["inspect", "to_s"] {
            vm.builtinMethod(array, name, 0) { builtin($1, $2, $3, $4) { ec, vm, this, _ throws(GuestError) in
                vm.newString(try vm.inspect(this, ec: ec))
            } }
        }
        vm.builtinMethod(array, "to_a", 0) { builtin($1, $2, $3, $4) { _, _, this, _ in this } }
        vm.builtinMethod(array, "join", -1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
            try vm.expectArgs(args, 0...1, ec: ec)
            let sep = args.count == 1 && !args[0].isNil ? try vm.expectString(args[0], ec: ec) : ""
            var parts: [String] = []
            for e in this.object(as: RArray.self)!.elements {
                if let inner = e.object(as: RArray.self) {
                    parts.append(try vm.toSString(try vm.callMethod(.object(inner), "join", args.count == 1 ? [args[0]] : [], ec: ec), ec: ec))
                } else {
                    parts.append(try vm.toSString(e, ec: ec))
                }
            }
            return vm.newString(parts.joined(separator: sep))
        } }
    }
}
