import CShims

/// Arguments of a builtin cfunc call.
struct Args {
    let count: Int
    let base: UnsafePointer<jr_value>?

    init(_ argc: Int32, _ argv: UnsafePointer<jr_value>?) {
        count = Int(argc)
        base = argv
    }

    subscript(i: Int) -> Value { Value(raw: base![i]) }
    var all: [Value] { (0..<count).map { self[$0] } }
}

/// Runs a Swift builtin body inside its C-ABI entry point. A thrown `GuestError` is left in
/// `ec.pendingThrow` and reported by returning `undef` (no longjmp: Swift frames are never skipped).
@inline(__always)
func builtin(_ ecp: UnsafeMutableRawPointer?, _ selfRaw: jr_value, _ argc: Int32, _ argv: UnsafePointer<jr_value>?,
             _ body: (ExecutionContext, VM, Value, Args) throws(GuestError) -> Value) -> jr_value {
    // The context and the VM are borrowed, not retained: `Fiber.yield` suspends inside this frame, and a
    // fiber left suspended is destroyed without unwinding, so a retain held here would never be released.
    Unmanaged<ExecutionContext>.fromOpaque(ecp!)._withUnsafeGuaranteedRef { builtin($0, selfRaw, argc, argv, body) }
}

/// `builtin` with the context borrowed: a `borrowing` parameter the closure captures is not retained
/// (a captured closure parameter would be, in unoptimized builds).
@inline(__always)
private func builtin(_ ec: borrowing ExecutionContext, _ selfRaw: jr_value, _ argc: Int32, _ argv: UnsafePointer<jr_value>?,
                     _ body: (ExecutionContext, VM, Value, Args) throws(GuestError) -> Value) -> jr_value {
    ec.unretainedVM._withUnsafeGuaranteedRef { vm in
        do throws(GuestError) {
            return try body(ec, vm, Value(raw: selfRaw), Args(argc, argv)).raw
        } catch {
            ec.pendingThrow = error.value
            return Value.undef.raw
        }
    }
}

/// Installs every builtin method.
enum Builtins {
    /// Methods booting defines on the core classes that get the most (builtins and the prelude), with room
    /// to spare: their tables are sized once instead of being rehashed five or six times each.
    static func bootMethodCapacities(_ vm: VM) -> [(RClass, Int)] {
        [(vm.arrayClass, 48), (vm.stringClass, 40), (vm.integerClass, 40), (vm.objectClass, 32), (vm.moduleClass, 16)]
    }

    static func install(in vm: VM) {
        for (klass, capacity) in bootMethodCapacities(vm) { klass.methods.reserveCapacity(capacity) }
        KernelBuiltins.install(vm)
        ObjectBuiltins.install(vm)
        ModuleBuiltins.install(vm)
        IntegerBuiltins.install(vm)
        StringBuiltins.install(vm)
        ArrayBuiltins.install(vm)
        ArrayQueryBuiltins.install(vm)
        ExceptionBuiltins.install(vm)
        FiberBuiltins.install(vm)
        ThreadBuiltins.install(vm)
        MutexBuiltins.install(vm)
        TracePointBuiltins.install(vm)
        GCBuiltins.install(vm)
    }
}

extension VM {
    /// Defines a VM builtin (a cfunc that reports errors by return value, so it needs no protect point).
    func builtinMethod(_ cls: RClass, _ name: String, _ arity: Int, hidden: Bool = false, _ fn: CFunction) {
        defineCFunction(cls, name, arity: arity, protected: false, hidden: hidden, fn)
    }

    func expectArgs(_ args: Args, _ range: ClosedRange<Int>, ec: ExecutionContext) throws(GuestError) {
        if !range.contains(args.count) {
            let expected = range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound)..\(range.upperBound)"
            throw error(argumentErrorClass, "wrong number of arguments (given \(args.count), expected \(expected))", ec: ec)
        }
    }

    func expectInteger(_ v: Value, ec: ExecutionContext) throws(GuestError) -> Int64 {
        if let n = intValue(v) { return n }
        throw error(typeErrorClass, "no implicit conversion of \(typeNameForConversion(v)) into Integer", ec: ec)
    }

    func expectString(_ v: Value, ec: ExecutionContext) throws(GuestError) -> String {
        if let s = stringValue(v) { return s }
        throw error(typeErrorClass, "no implicit conversion of \(typeNameForConversion(v)) into String", ec: ec)
    }

    /// `nil`, `true`, `false` by value, else the class name (Ruby's wording in conversion errors).
    func typeNameForConversion(_ v: Value) -> String {
        switch v {
        case .nil: return "nil"
        case .true: return "true"
        case .false: return "false"
        default: return realClassOf(v).name
        }
    }

    func symbolOrString(_ v: Value, ec: ExecutionContext) throws(GuestError) -> Int {
        if v.isSymbol { return v.symbolID }
        if let s = stringValue(v) { return symbols.id(s) }
        throw error(typeErrorClass, "\(inspectForMessage(v)) is not a symbol nor a string", ec: ec)
    }
}
