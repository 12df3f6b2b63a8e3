import CShims

/// Where TracePoint events fire. Every call path checks `traceEvents != 0` (one load and branch) and
/// only then calls in here, so a program that never enables a TracePoint pays nothing else.
///
/// What fires, as in Ruby 3.1:
/// - `call` / `return` for guest methods (`return` also when an exception, `break` or a block's
///   `return` unwinds the frame); block and class-body frames fire nothing.
/// - `c_call` / `c_return` for builtins (`c_return` also when the builtin raised), attribute
///   accessors, and the operators the interpreter inlines (their fast paths are off while c_call or
///   c_return is traced, see `updateTraceEvents`).
/// - Prelude methods (`times`, `each`, `map`, ...) are C functions in Ruby 3.1: they fire `c_call` /
///   `c_return`, and the calls they make internally fire nothing. Builtins calling Integer or String
///   builtins (`sum`, `sort`, `==` of arrays) fire nothing for them either: Ruby's C code does that
///   arithmetic and comparison without a method call.
/// - The TracePoint API itself is Ruby code in Ruby 3.1 (`<internal:trace_point>`): it fires `call` /
///   `return`, not `c_call` / `c_return`.
/// - No event fires inside a hook (on the same execution context).
/// Threads: enabling and disabling happen with the world stopped, so a thread reads `traceEvents`,
/// the enabled list and the tables here without a lock; what a hook handles is per context.
extension VM {
    // MARK: Method frames

    /// `call` (or `c_call` for a prelude method) for the method frame just pushed (`ec.cfp`).
    /// Returns what a hook raised; the frame stays pushed.
    @inline(never)
    func traceMethodEntry(_ ec: ExecutionContext) -> Value? {
        let f = ec.cfp
        guard f.pointee.type == .method, let me = f.pointee.methodEntry, let ip = f.pointee.iseq else { return nil }
        let isInternal = withISeq(ip) { $0.isInternal }
        guard !suppressedByCaller(ec, caller: f - 1, calleeIsInternal: isInternal, entry: me) else { return nil }
        let id = withEntry(me) { $0.nameID }
        let recv = f.pointee.selfValue
        guard isInternal else { return fireTrace(.call, ec, methodID: id, selfValue: recv) }
        if let t = fireTrace(.cCall, ec, methodID: id, selfValue: recv) { return t }
        if let inner = innerCall(me) { return fireTrace(.cCall, ec, methodID: inner, selfValue: recv) }
        return nil
    }

    /// `return` (or `c_return` for a prelude method) for method frame `f` leaving with `value` (nil when
    /// unwound by an exception). `f` must have its pc and sp saved; it becomes `ec.cfp` while hooks run.
    @inline(never)
    func traceMethodExit(_ ec: ExecutionContext, _ f: UnsafeMutablePointer<ControlFrame>, value: Value) -> Value? {
        guard f.pointee.type == .method, let me = f.pointee.methodEntry, let ip = f.pointee.iseq else { return nil }
        let isInternal = withISeq(ip) { $0.isInternal }
        guard !suppressedByCaller(ec, caller: f - 1, calleeIsInternal: isInternal, entry: me) else { return nil }
        ec.cfp = f
        let id = withEntry(me) { $0.nameID }
        let recv = f.pointee.selfValue
        guard isInternal else { return fireTrace(.return, ec, methodID: id, selfValue: recv, returnValue: value) }
        if let inner = innerCall(me), let t = fireTrace(.cReturn, ec, methodID: inner, selfValue: recv, returnValue: value) {
            return t
        }
        return fireTrace(.cReturn, ec, methodID: id, selfValue: recv, returnValue: value)
    }

    /// Frame `f` is being unwound past (no handler in it): its `return` event, if it is a method frame.
    @inline(never)
    func traceUnwound(_ ec: ExecutionContext, _ f: UnsafeMutablePointer<ControlFrame>, value: Value = .nil) -> Value? {
        traceMethodExit(ec, f, value: value)
    }

    // MARK: Cfunc frames

    /// `c_call` (`call` for the TracePoint API) for the cfunc frame just pushed (`ec.cfp`).
    @inline(never)
    func traceCFunctionCall(_ ec: ExecutionContext) -> Value? {
        let f = ec.cfp
        guard let me = f.pointee.methodEntry,
              !suppressedByCaller(ec, caller: f - 1, calleeIsInternal: false, entry: me) else { return nil }
        let id = withEntry(me) { $0.nameID }
        let recv = f.pointee.selfValue
        if traceState.rubyDefinedEntries.contains(Int(bitPattern: me)) {
            return fireTrace(.call, ec, methodID: id, selfValue: recv)
        }
        if let t = fireTrace(.cCall, ec, methodID: id, selfValue: recv) { return t }
        if let inner = innerCall(me) { return fireTrace(.cCall, ec, methodID: inner, selfValue: recv) }
        return nil
    }

    /// `c_return` for the cfunc frame `ec.cfp`, which returned `result` (undef: it raised, the exception
    /// is in `ec.pendingThrow`). Returns the result to use: undef with a hook's exception pending when
    /// a hook raised. Runs even when tracing started inside the cfunc (Ruby fires that `c_return` too).
    @inline(never)
    func traceCFunctionReturn(_ ec: ExecutionContext, result: jr_value) -> jr_value {
        let f = ec.cfp
        guard let me = f.pointee.methodEntry else { return result }
        let rubyDefined = traceState.rubyDefinedEntries.contains(Int(bitPattern: me))
        if rubyDefined && ec.trace.skipNextEnableReturn {
            ec.trace.skipNextEnableReturn = false
            return result
        }
        guard !suppressedByCaller(ec, caller: f - 1, calleeIsInternal: false, entry: me) else { return result }
        // The exception in flight must survive the hooks (no object collection runs inside them).
        let raised = result == Value.undef.raw
        let pending = ec.pendingThrow
        ec.pendingThrow = .undef
        let value = raised ? Value.nil : Value(raw: result)
        let id = withEntry(me) { $0.nameID }
        let recv = f.pointee.selfValue
        var thrown: Value?
        if rubyDefined {
            thrown = fireTrace(.return, ec, methodID: id, selfValue: recv, returnValue: value)
        } else {
            if let inner = innerCall(me) { thrown = fireTrace(.cReturn, ec, methodID: inner, selfValue: recv, returnValue: value) }
            if thrown == nil { thrown = fireTrace(.cReturn, ec, methodID: id, selfValue: recv, returnValue: value) }
        }
        if let thrown {
            ec.pendingThrow = thrown
            return Value.undef.raw
        }
        ec.pendingThrow = pending
        return result
    }

    /// `c_call` / `c_return` of an attribute accessor (no frame of its own; `ec.cfp` is the caller with
    /// its sp saved above the arguments).
    @inline(never)
    func traceAccessor(_ event: TraceEvent, _ ec: ExecutionContext, entry: UnsafeMutableRawPointer, receiver: Value,
                       returnValue: Value = .undef) -> Value? {
        guard ec.cfp < ec.frameBase || !suppressedByCaller(ec, caller: ec.cfp, calleeIsInternal: false, entry: entry) else {
            return nil
        }
        return fireTrace(event, ec, methodID: withEntry(entry) { $0.nameID }, selfValue: receiver, returnValue: returnValue)
    }

    // MARK: Which calls Ruby shows

    /// Calls made inside a prelude method are C-internal in Ruby (unless they call another prelude
    /// method); builtins calling Integer or String builtins are arithmetic and comparisons Ruby's C
    /// code does without a call.
    func suppressedByCaller(_ ec: ExecutionContext, caller: UnsafeMutablePointer<ControlFrame>, calleeIsInternal: Bool,
                            entry: UnsafeMutableRawPointer) -> Bool {
        guard caller >= ec.frameBase else { return false }
        if caller.pointee.type == .cfunc {
            return withEntry(entry) { $0.kind == .cfunc && ($0.owner === integerClass || $0.owner === stringClass) }
        }
        guard !calleeIsInternal, let ip = caller.pointee.iseq else { return false }
        return withISeq(ip) { $0.isInternal }
    }

    /// The method Ruby's implementation of `entry` calls internally (and traces), if any.
    func innerCall(_ entry: UnsafeMutableRawPointer) -> Int? {
        traceState.innerCalls[entry]
    }

    /// Fills `innerCalls` (when the first TracePoint is enabled: the prelude is loaded by then).
    func buildInnerCalls(_ state: TraceState) {
        guard !state.innerCallsBuilt else { return }
        state.innerCallsBuilt = true
        let each = symbols.id("each")
        // Enumerable methods in Ruby 3.1: they run `each` (Array's own map/select/reject do not).
        for name in ["inject", "reduce", "each_with_index", "find"] {
            guard let m = arrayClass.methods[symbols.id(name)], m.kind == .cfunc || m.iseq?.isInternal == true else { continue }
            state.innerCalls[m.opaque] = each
        }
        // Ruby has one `!=` (BasicObject's), which calls `==`; the subset's own `!=` builtins stand for it.
        for cls in [integerClass!, stringClass!, arrayClass!] {
            guard let m = cls.methods[ids.neq], m.kind == .cfunc else { continue }
            state.innerCalls[m.opaque] = ids.eq
        }
    }

    // MARK: Delivering an event

    /// Runs the hook of every enabled TracePoint listening to `event`, newest first, unless a hook is
    /// already running on `ec`. Returns what a hook raised (the remaining hooks are skipped).
    func fireTrace(_ event: TraceEvent, _ ec: ExecutionContext, methodID: Int, selfValue: Value,
                   returnValue: Value = .undef) -> Value? {
        guard traceEvents & event.rawValue != 0, !ec.trace.isInHook else { return nil }
        for tp in traceState.enabled where tp.events.contains(event) {
            // A hook may disable a TracePoint later in this list.
            guard tp.isEnabled else { continue }
            if let t = runHook(tp, event, ec, methodID: methodID, selfValue: selfValue, returnValue: returnValue) {
                return t
            }
        }
        return nil
    }

    /// Calls `tp`'s block with `tp`, above `ec.cfp`'s saved stack top. No object collection runs inside
    /// (callers hold Values in native locals: a result, an exception being unwound).
    private func runHook(_ tp: RTracePoint, _ event: TraceEvent, _ ec: ExecutionContext, methodID: Int,
                         selfValue: Value, returnValue: Value) -> Value? {
        ec.trace.tracePoint = tp
        ec.trace.event = event
        ec.trace.methodID = methodID
        ec.trace.selfValue = selfValue
        ec.trace.returnValue = returnValue
        ec.cfuncDepth += 1
        defer {
            ec.trace.tracePoint = nil
            ec.trace.selfValue = .nil
            ec.trace.returnValue = .undef
            ec.cfuncDepth -= 1
        }
        do throws(GuestError) {
            try checkNativeStack(ec)
            let base = nativeBase(ec)
            if base + 3 >= ec.stackLimit { throw stackError(ec) }
            base.pointee = .nil
            base[1] = .object(tp)
            if let t = pushBlockFrame(ec, sp: base + 2, argc: 1, blockFrame: tp.hook.frameForCall(), finish: true) {
                throw GuestError(t)
            }
            _ = try execute(ec)
            withExtendedLifetime(tp.hook.codeOwner) {}
            return nil
        } catch {
            // `break`/`return` out of the hook has no frame to go to (Ruby: LocalJumpError).
            if error.value.isHeapObject && error.value.object.klass === throwClass {
                return makeException(localJumpErrorClass, "break from proc-closure", ec: ec)
            }
            return error.value
        }
    }
}
