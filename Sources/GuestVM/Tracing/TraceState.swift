/// VM-wide TracePoint bookkeeping (`VM.traceState`). The call paths only read `VM.traceEvents`.
final class TraceState: MethodChangeObserver {
    unowned let vm: VM
    /// Hook registrations of enabled TracePoints, the most recent first (Ruby runs hooks in that order;
    /// a TracePoint enabled twice is listed twice).
    var enabled: [RTracePoint] = []
    /// Ruby 3.1 instruments every instruction sequence the first time a TracePoint with `call` or
    /// `return` events is enabled; the `TracePoint#enable` running at that moment (a Ruby method there)
    /// misses its own `return` event, later ones do not. The subset reproduces that.
    var instrumented = false
    /// The interpreter's `basicOperationsMask` before c_call tracing turned the fast paths off.
    var maskBeforeCTracing: UInt64?
    /// A basic operation was redefined while c_call tracing held the mask at 0.
    var basicOperationRedefined = false
    /// Builtins that are Ruby methods in Ruby 3.1 (the TracePoint API): traced as `call`/`return`. Entry
    /// addresses as Int: filled at every start, and a Set of pointers would cost each start a scan of the
    /// executable's protocol conformances (for UnsafeMutableRawPointer: Hashable).
    var rubyDefinedEntries: Set<Int> = []
    /// Builtins (and prelude methods) that in Ruby 3.1 are Enumerable methods calling `each`, or
    /// `!=` calling `==`: the inner call is traced too, as Ruby shows it (entry -> inner method id).
    var innerCalls: [UnsafeMutableRawPointer: Int] = [:]
    var innerCallsBuilt = false

    /// Whether this VM's method observers include the state (registered on first use).
    var observing = false

    init(vm: VM) { self.vm = vm }

    /// Notes what `VM.methodsChanged` would have noted had the mask not been held at 0.
    func methodChanged(in klass: RClass, name: String, nameID: Int) {
        guard maskBeforeCTracing != nil, VM.basicOperationNames.contains(name) else { return }
        if klass === vm.integerClass || klass === vm.arrayClass || klass === vm.stringClass { basicOperationRedefined = true }
    }
}
