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
        // Protected (called through the C protect point `jr_protect_call`), so a debugger stopped in it
        // sees C code called by JIT code through the send helper (`GDBBacktraceTests`).
        vm.defineCFunction(meta, "in_jit?", arity: 0, protected: true) { _, ecp, _, _, _ in
            let ec = Unmanaged<ExecutionContext>.fromOpaque(ecp!).takeUnretainedValue()
            guard let jit = ec.vm.jit as? GuestJIT else { return Value.false.raw }
            return (jit.callerIsJITCode(ec) ? Value.true : Value.false).raw
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
    /// Whether the guest code that called the running cfunc is JIT code. Exact: JIT code calls cfuncs only
    /// through the send helper, which records its calling frame in the thread's runtime block for the
    /// duration of the call (restoring the outer one after). The cfunc's caller is the frame under its
    /// own; it made this call from JIT code iff it is the frame of the innermost send helper call. A frame
    /// that left its JIT code (an invalidated block returned through its patched exit) calls from the
    /// interpreter, under any number of outer JIT frames.
    func callerIsJITCode(_ ec: ExecutionContext) -> Bool {
        let cfuncFrame = ec.cfp
        guard cfuncFrame > ec.frameBase, let base = ec.jitRuntime else { return false }
        let caller = cfuncFrame - 1
        return RuntimeBlock(base: base).word(RuntimeBlock.sendingFrame).pointee == UInt64(UInt(bitPattern: caller))
    }
}
