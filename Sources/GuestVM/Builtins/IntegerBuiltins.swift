/// Integer: 64-bit arithmetic that raises RangeError "integer overflow" instead of wrapping.
enum IntegerBuiltins {
    static func install(_ vm: VM) {
        let int = vm.integerClass!
        vm.builtinMethod(int, "+", 1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
            try vm.intArith(this, args[0], ec: ec) { $0.addingReportingOverflow($1) }
        } }
        vm.builtinMethod(int, "-", 1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
            try vm.intArith(this, args[0], ec: ec) { $0.subtractingReportingOverflow($1) }
        } }
        vm.builtinMethod(int, "*", 1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
            try vm.intArith(this, args[0], ec: ec) { $0.multipliedReportingOverflow(by: $1) }
        } }
        vm.builtinMethod(int, "/", 1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
            try vm.intDivision(this, args[0], modulo: false, ec: ec)
        } }
        vm.builtinMethod(int, "div", 1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
            try vm.intDivision(this, args[0], modulo: false, ec: ec)
        } }
        vm.builtinMethod(int, "%", 1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
            try vm.intDivision(this, args[0], modulo: true, ec: ec)
        } }
        vm.builtinMethod(int, "modulo", 1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
            try vm.intDivision(this, args[0], modulo: true, ec: ec)
        } }
        vm.builtinMethod(int, "**", 1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
            let a = vm.intValue(this)!
            let b = try vm.intOperand(args[0], ec: ec)
            if b < 0 { throw vm.error(vm.rangeErrorClass, "negative exponent not supported", ec: ec) }
            var result: Int64 = 1
            var i: Int64 = 0
            while i < b {
                let (m, o) = result.multipliedReportingOverflow(by: a)
                if o { throw vm.overflowError(ec) }
                result = m
                i += 1
                if result == 0 || result == 1 { break }
            }
            if result == 1 && a == -1 && b % 2 == 1 { result = -1 }
            return vm.integer(result)
        } }
        vm.builtinMethod(int, "-@", 0) { builtin($1, $2, $3, $4) { ec, vm, this, _ throws(GuestError) in
            let (r, o) = Int64(0).subtractingReportingOverflow(vm.intValue(this)!)
            if o { throw vm.overflowError(ec) }
            return vm.integer(r)
        } }
        vm.builtinMethod(int, "abs", 0) { builtin($1, $2, $3, $4) { ec, vm, this, _ throws(GuestError) in
            let n = vm.intValue(this)!
            if n == Int64.min { throw vm.overflowError(ec) }
            return vm.integer(abs(n))
        } }
        let comparisons: [(String, CFunction)] = [
            ("<", { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in .bool(try vm.intCompare(this, args[0], ec: ec) < 0) } }),
            ("<=", { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in .bool(try vm.intCompare(this, args[0], ec: ec) <= 0) } }),
            (">", { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in .bool(try vm.intCompare(this, args[0], ec: ec) > 0) } }),
            (">=", { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in .bool(try vm.intCompare(this, args[0], ec: ec) >= 0) } }),
        ]
        for (name, fn) in comparisons { vm.builtinMethod(int, name, 1, fn) }
        vm.builtinMethod(int, "==", 1) { builtin($1, $2, $3, $4) { _, vm, this, args in
            .bool(vm.intValue(args[0]) == vm.intValue(this))
        } }
        vm.builtinMethod(int, "!=", 1) { builtin($1, $2, $3, $4) { _, vm, this, args in
            .bool(vm.intValue(args[0]) != vm.intValue(this))
        } }
        vm.builtinMethod(int, "<=>", 1) { builtin($1, $2, $3, $4) { _, vm, this, args in
            guard let b = vm.intValue(args[0]) else { return .nil }
            let a = vm.intValue(this)!
            return .fixnum(a < b ? -1 : (a > b ? 1 : 0))
        } }
        for name in ["to_s", "inspect"] {
            vm.builtinMethod(int, name, -1) { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
                try vm.expectArgs(args, 0...1, ec: ec)
                let base = args.count == 1 ? try vm.intOperand(args[0], ec: ec) : 10
                guard (2...36).contains(base) else { throw vm.error(vm.argumentErrorClass, "invalid radix \(base)", ec: ec) }
                return vm.newString(String(vm.intValue(this)!, radix: Int(base)))
            } }
        }
        vm.builtinMethod(int, "to_i", 0) { builtin($1, $2, $3, $4) { _, _, this, _ in this } }
        vm.builtinMethod(int, "hash", 0) { builtin($1, $2, $3, $4) { _, _, this, _ in this } }
        vm.builtinMethod(int, "zero?", 0) { builtin($1, $2, $3, $4) { _, vm, this, _ in .bool(vm.intValue(this) == 0) } }
        vm.builtinMethod(int, "even?", 0) { builtin($1, $2, $3, $4) { _, vm, this, _ in .bool(vm.intValue(this)! % 2 == 0) } }
        vm.builtinMethod(int, "odd?", 0) { builtin($1, $2, $3, $4) { _, vm, this, _ in .bool(vm.intValue(this)! % 2 != 0) } }
        vm.builtinMethod(int, "succ", 0) { builtin($1, $2, $3, $4) { ec, vm, this, _ throws(GuestError) in
            try vm.intArith(this, .fixnum(1), ec: ec) { $0.addingReportingOverflow($1) }
        } }
        vm.builtinMethod(int, "pred", 0) { builtin($1, $2, $3, $4) { ec, vm, this, _ throws(GuestError) in
            try vm.intArith(this, .fixnum(1), ec: ec) { $0.subtractingReportingOverflow($1) }
        } }
        let bitOps: [(String, CFunction)] = [
            ("&", { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in vm.integer(vm.intValue(this)! & (try vm.intOperand(args[0], ec: ec))) } }),
            ("|", { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in vm.integer(vm.intValue(this)! | (try vm.intOperand(args[0], ec: ec))) } }),
            ("^", { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in vm.integer(vm.intValue(this)! ^ (try vm.intOperand(args[0], ec: ec))) } }),
            ("<<", { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in try vm.intShift(this, try vm.intOperand(args[0], ec: ec), ec: ec) } }),
            (">>", { builtin($1, $2, $3, $4) { ec, vm, this, args throws(GuestError) in
                let s = try vm.intOperand(args[0], ec: ec)
                return try vm.intShift(this, s == Int64.min ? Int64.max : -s, ec: ec) } }),
        ]
        for (name, fn) in bitOps { vm.builtinMethod(int, name, 1, fn) }
    }
}

extension VM {
    /// The Integer operand of an arithmetic method, or TypeError as Ruby words it.
    func intOperand(_ v: Value, ec: ExecutionContext) throws(GuestError) -> Int64 {
        if let n = intValue(v) { return n }
        let name = v.isNil ? "nil" : (v == .true ? "true" : (v == .false ? "false" : realClassOf(v).name))
        throw error(typeErrorClass, "\(name) can't be coerced into Integer", ec: ec)
    }

    func intArith(_ a: Value, _ b: Value, ec: ExecutionContext,
                  _ op: (Int64, Int64) -> (partialValue: Int64, overflow: Bool)) throws(GuestError) -> Value {
        let x = intValue(a)!
        let y = try intOperand(b, ec: ec)
        let (r, o) = op(x, y)
        if o { throw overflowError(ec) }
        return integer(r)
    }

    func intDivision(_ a: Value, _ b: Value, modulo: Bool, ec: ExecutionContext) throws(GuestError) -> Value {
        let x = intValue(a)!
        let y = try intOperand(b, ec: ec)
        if y == 0 { throw error(zeroDivisionErrorClass, "divided by 0", ec: ec) }
        if x == Int64.min && y == -1 {
            if modulo { return .fixnum(0) }
            throw overflowError(ec)
        }
        return integer(modulo ? IntegerMath.floorMod(x, y) : IntegerMath.floorDiv(x, y))
    }

    func intCompare(_ a: Value, _ b: Value, ec: ExecutionContext) throws(GuestError) -> Int {
        let x = intValue(a)!
        guard let y = intValue(b) else {
            throw error(argumentErrorClass, "comparison of Integer with \(inspectOrClass(b)) failed", ec: ec)
        }
        return x < y ? -1 : (x > y ? 1 : 0)
    }

    /// Ruby names nil/true/false and numbers by value in comparison errors, other objects by class.
    func inspectOrClass(_ v: Value) -> String {
        if v.isNil || v == .true || v == .false || intValue(v) != nil { return inspectForMessage(v) }
        return realClassOf(v).name
    }

    func intShift(_ a: Value, _ s: Int64, ec: ExecutionContext) throws(GuestError) -> Value {
        let x = intValue(a)!
        if s >= 0 {
            if s >= 64 { if x == 0 { return .fixnum(0) }; throw overflowError(ec) }
            let r = x << s
            if r >> s != x { throw overflowError(ec) }
            return integer(r)
        }
        let n = -s
        if n >= 64 { return .fixnum(x < 0 ? -1 : 0) }
        return integer(x >> n)
    }
}
