import CShims
import GuestVM

/// The guest's `JIT` module: `enabled?`, `stat(:name)`, `in_jit?`, `code_gc`, `discard_all`, `dump_stack`. Installed
/// with or without a JIT (with `--no-jit` it answers false / 0).
public enum JITModule {
    /// What `JIT.dump_stack` calls (set by `jitstack stack`); nil: `JIT.dump_stack` does nothing.
    public nonisolated(unsafe) static var stackDumper: ((ExecutionContext) -> Void)?

    /// Defines `JIT` in `vm` (idempotent enough: redefining replaces the methods).
    public static func install(in vm: VM) {
        let module = vm.defineModule("JIT")
        guard let meta = module.metaclass else { return }
        vm.defineCFunction(meta, "enabled?", arity: 0, protected: false) { _, ecp, _, _, _ in
            let ec = Unmanaged<ExecutionContext>.fromOpaque(ecp!).takeUnretainedValue()
            return (ec.vm.jit is GuestJIT ? Value.true : Value.false).raw
        }
        vm.defineCFunction(meta, "stat", arity: 1, protected: false) { _, ecp, _, _, argv in
            let ec = Unmanaged<ExecutionContext>.fromOpaque(ecp!).takeUnretainedValue()
            let vm = ec.vm
            let arg = Value(raw: argv![0])
            let name: String
            if arg.isSymbol {
                name = vm.symbols.name(arg.symbolID)
            } else if let s = vm.stringValue(arg) {
                name = s
            } else {
                ec.pendingThrow = vm.makeException(vm.typeErrorClass, "stat name must be a Symbol", ec: ec)
                return Value.undef.raw
            }
            guard let jit = vm.jit as? GuestJIT else { return vm.integer(0).raw }
            guard let value = jit.stat(name) else {
                ec.pendingThrow = vm.makeException(vm.argumentErrorClass, "unknown JIT stat: \(name)", ec: ec)
                return Value.undef.raw
            }
            return vm.integer(Int64(value)).raw
        }
        // Protected, so it is called through jr_protect_call: its caller's code is the frame right
        // after that protect point on the native stack (see `callerIsJITCode`).
        vm.defineCFunction(meta, "in_jit?", arity: 0, protected: true) { _, ecp, _, _, _ in
            let ec = Unmanaged<ExecutionContext>.fromOpaque(ecp!).takeUnretainedValue()
            guard let jit = ec.vm.jit as? GuestJIT else { return Value.false.raw }
            return (jit.callerIsJITCode() ? Value.true : Value.false).raw
        }
        vm.defineCFunction(meta, "code_gc", arity: 0, protected: false) { _, ecp, _, _, _ in
            let ec = Unmanaged<ExecutionContext>.fromOpaque(ecp!).takeUnretainedValue()
            guard let jit = ec.vm.jit as? GuestJIT else { return ec.vm.integer(0).raw }
            return ec.vm.integer(Int64(jit.collect())).raw
        }
        // Prints every execution context's stack through the installed dumper (`jitstack stack`); nil
        // without one. Not protected: no protect point between it and the code that called it.
        vm.defineCFunction(meta, "dump_stack", arity: 0, protected: false) { _, ecp, _, _, _ in
            let ec = Unmanaged<ExecutionContext>.fromOpaque(ecp!).takeUnretainedValue()
            JITModule.stackDumper?(ec)
            return Value.nil.raw
        }
        vm.defineCFunction(meta, "discard_all", arity: 0, protected: false) { _, ecp, _, _, _ in
            let ec = Unmanaged<ExecutionContext>.fromOpaque(ecp!).takeUnretainedValue()
            guard let jit = ec.vm.jit as? GuestJIT else { return ec.vm.integer(0).raw }
            return ec.vm.integer(Int64(jit.discardAll())).raw
        }
    }
}

extension GuestJIT {
    /// Whether the guest code that called the running protected cfunc is JIT code, decided from native
    /// return addresses: the cfunc was called through `jr_protect_call`; the code that made the call is
    /// the JIT send helper (called from JIT code) or the interpreter. So the first return address into the
    /// region within the few frames after the protect point's frame says "JIT"; the interpreter never
    /// calls a protected cfunc from JIT code directly.
    func callerIsJITCode() -> Bool {
        var addresses = [UnsafeMutableRawPointer?](repeating: nil, count: 48)
        let count = Int(addresses.withUnsafeMutableBufferPointer { jr_unwind_backtrace($0.baseAddress, 48) })
        let protect = unsafeBitCast(jr_protect_call as @convention(c) (
            UnsafeMutablePointer<UnsafeMutableRawPointer?>?, jr_cfunc?, UnsafePointer<jr_guest_api>?,
            UnsafeMutableRawPointer?, jr_value, Int32, UnsafePointer<jr_value>?, UnsafeMutablePointer<jr_value>?) -> Int32,
                                    to: UInt.self)
        guard let protectFrame = (0..<count).first(where: {
            let a = UInt(bitPattern: addresses[$0])
            return a > protect && a < protect + 512
        }) else { return false }
        // The send helper's entry thunk is the only native caller of cfuncs from JIT code; the address
        // after it is the JIT code that made the call. Known limit: an interpreted block yielded to by an
        // unprotected builtin that JIT code called has no protect frame of its own in between, so a call
        // from it within this window also answers true.
        let helper = JITHelpers.sendAddress
        for i in (protectFrame + 1)..<min(count - 1, protectFrame + 24) {
            let a = UInt(bitPattern: addresses[i])
            if a > helper && a < helper + 256 {
                return region.contains(returnAddress: UInt(bitPattern: addresses[i + 1]))
            }
        }
        return false
    }
}
