/// Array comparisons and queries: ==, include?, index, sort, sum, min, max, flatten, uniq, count,
/// inject/reduce, any?/all?/none? (with or without a block).
enum ArrayQueryBuiltins {
    static func install(_ vm: VM) {
        let array = vm.arrayClass!
        func elements(_ v: Value) -> [Value] { v.object(as: RArray.self)!.elements }
        vm.builtinMethod(array, "==", 1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
            .bool(try vm.valuesEqual(this, args[0], ec: ec))
        } }
        vm.builtinMethod(array, "!=", 1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
            .bool(!(try vm.valuesEqual(this, args[0], ec: ec)))
        } }
        vm.builtinMethod(array, "include?", 1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
            for e in elements(this) where try vm.valuesEqual(e, args[0], ec: ec) { return .true }
            return .false
        } }
        vm.builtinMethod(array, "index", 1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
            for (i, e) in elements(this).enumerated() where try vm.valuesEqual(e, args[0], ec: ec) { return .fixnum(Int64(i)) }
            return .nil
        } }
        vm.builtinMethod(array, "count", -1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
            let list = elements(this)
            if args.count == 1 {
                var n: Int64 = 0
                for e in list where try vm.valuesEqual(e, args[0], ec: ec) { n += 1 }
                return .fixnum(n)
            }
            if vm.blockOfCurrentFrame(ec) != nil {
                var n: Int64 = 0
                for e in list where try vm.yieldBlock([e], ec: ec).isTruthy { n += 1 }
                return .fixnum(n)
            }
            return .fixnum(Int64(list.count))
        } }
        vm.builtinMethod(array, "sum", 0) { builtin($1, $2, $3, $4) { ec, vm, this, _ throws(GuestError) in
            var total = Value.fixnum(0)
            for e in elements(this) { total = try vm.callMethod(total, vm.ids.plus, [e], ec: ec) }
            return total
        } }
        for (name, wantMax) in [("min", false), ("max", true)] {
            let fn: CFunction = wantMax
                ? { builtin($1, $2, $3, $4) { ec, vm, this, _ throws(GuestError) in try vm.extreme(elements(this), max: true, ec: ec) } }
                : { builtin($1, $2, $3, $4) { ec, vm, this, _ throws(GuestError) in try vm.extreme(elements(this), max: false, ec: ec) } }
            vm.builtinMethod(array, name, 0, fn)
        }
        vm.builtinMethod(array, "sort", 0) { builtin($1, $2, $3, $4) { ec, vm, this, _ throws(GuestError) in
            var list = elements(this)
            let useBlock = vm.blockOfCurrentFrame(ec) != nil
            // Insertion sort through guest comparisons: stable, and errors propagate normally.
            for i in 1..<max(list.count, 1) {
                let x = list[i]
                var j = i - 1
                while j >= 0 {
                    let c = useBlock ? Int(try vm.intValue(vm.yieldBlock([list[j], x], ec: ec)) ?? 0)
                                     : try vm.compareValues(list[j], x, ec: ec)
                    if c <= 0 { break }
                    list[j + 1] = list[j]
                    j -= 1
                }
                list[j + 1] = x
            }
            return vm.newArray(list)
        } }
        vm.builtinMethod(array, "flatten", 0) { builtin($1, $2, $3, $4) { ec, vm, this, _ throws(GuestError) in
            var out: [Value] = []
            try vm.flatten(this, into: &out, ec: ec)
            return vm.newArray(out)
        } }
        vm.builtinMethod(array, "uniq", 0) { builtin($1, $2, $3, $4) { ec, vm, this, _ throws(GuestError) in
            var out: [Value] = []
            for e in elements(this) {
                var seen = false
                for o in out where try vm.valuesEqual(o, e, ec: ec) { seen = true; break }
                if !seen { out.append(e) }
            }
            return vm.newArray(out)
        } }
        for name in ["inject", "reduce"] {
            vm.builtinMethod(array, name, -1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
                try vm.expectArgs(args, 0...1, ec: ec)
                var list = elements(this)[...]
                var acc: Value
                if args.count == 1 {
                    acc = args[0]
                } else {
                    guard let first = list.first else { return .nil }
                    acc = first
                    list = list.dropFirst()
                }
                for e in list { acc = try vm.yieldBlock([acc, e], ec: ec) }
                return acc
            } }
        }
        for (name, mode) in [("any?", 0), ("all?", 1), ("none?", 2)] {
            let fn: CFunction
            switch mode {
            case 0: fn = { builtin($1, $2, $3, $4) { ec, vm, this, _ throws(GuestError) in try vm.quantify(elements(this), mode: 0, ec: ec) } }
            case 1: fn = { builtin($1, $2, $3, $4) { ec, vm, this, _ throws(GuestError) in try vm.quantify(elements(this), mode: 1, ec: ec) } }
            default: fn = { builtin($1, $2, $3, $4) { ec, vm, this, _ throws(GuestError) in try vm.quantify(elements(this), mode: 2, ec: ec) } }
            }
            vm.builtinMethod(array, name, 0, fn)
        }
    }
}

extension VM {
    /// `a == b` with the builtin cases decided here (recursive arrays compare equal when they are the
    /// same object), other objects asked through `==`.
    func valuesEqual(_ a: Value, _ b: Value, ec: ExecutionContext) throws(GuestError) -> Bool {
        if a == b { return true }
        if let x = intValue(a) { return intValue(b) == x }
        if let x = a.object(as: RString.self) { return stringValue(b) == x.value }
        if let x = a.object(as: RArray.self) {
            guard let y = b.object(as: RArray.self), x.elements.count == y.elements.count else { return false }
            try checkNativeStack(ec)
            for (l, r) in zip(x.elements, y.elements) where !(try valuesEqual(l, r, ec: ec)) { return false }
            return true
        }
        return try callMethod(a, ids.eq, [b], ec: ec).isTruthy
    }

    /// `a <=> b` for sorting: Integers and Strings directly, others through `<=>`.
    func compareValues(_ a: Value, _ b: Value, ec: ExecutionContext) throws(GuestError) -> Int {
        if let x = intValue(a), let y = intValue(b) { return x < y ? -1 : (x > y ? 1 : 0) }
        if stringValue(a) != nil, stringValue(b) != nil { return try stringCompare(a, b, ec: ec) }
        guard let c = intValue(try callMethod(a, "<=>", [b], ec: ec)) else {
            throw error(argumentErrorClass, "comparison of \(realClassOf(a).name) with \(inspectOrClass(b)) failed", ec: ec)
        }
        return Int(c)
    }

    func extreme(_ list: [Value], max: Bool, ec: ExecutionContext) throws(GuestError) -> Value {
        guard var best = list.first else { return .nil }
        for e in list.dropFirst() {
            let c = try compareValues(e, best, ec: ec)
            if max ? c > 0 : c < 0 { best = e }
        }
        return best
    }

    func flatten(_ v: Value, into out: inout [Value], ec: ExecutionContext) throws(GuestError) {
        guard let a = v.object(as: RArray.self) else {
            out.append(v)
            return
        }
        guard inspecting.insert(v.raw).inserted else {
            throw error(argumentErrorClass, "tried to flatten recursive array", ec: ec)
        }
        defer { inspecting.remove(v.raw) }
        try checkNativeStack(ec)
        for e in a.elements { try flatten(e, into: &out, ec: ec) }
    }

    /// any? (0), all? (1), none? (2): with a block, of its results; without, of the elements.
    func quantify(_ list: [Value], mode: Int, ec: ExecutionContext) throws(GuestError) -> Value {
        let useBlock = blockOfCurrentFrame(ec) != nil
        for e in list {
            let t = useBlock ? try yieldBlock([e], ec: ec).isTruthy : e.isTruthy
            if mode == 0 && t { return .true }
            if mode == 1 && !t { return .false }
            if mode == 2 && t { return .false }
        }
        return .bool(mode != 0)
    }
}
