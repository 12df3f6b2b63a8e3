/// Enabling and disabling TracePoints, and what the rest of the VM must know when tracing starts or stops.
/// Both run with every other thread parked at a safepoint (outside JIT code), so no thread reads the
/// state while it changes, and each sees the new `traceEvents` at its next call.
extension VM {
    /// Enables `tp` (its hook runs before those enabled earlier); returns whether it already was.
    /// `firstInstrumentation` says whether this is the first enable with `call`/`return` events.
    /// As in Ruby 3.1, enabling an enabled TracePoint registers its hook once more (it then runs twice
    /// per event) until `disable` removes every registration.
    @discardableResult
    func enableTracePoint(_ tp: RTracePoint, ec: ExecutionContext) -> (wasEnabled: Bool, firstInstrumentation: Bool) {
        withWorldStopped { enableTracePointStopped(tp, ec: ec) }
    }

    private func enableTracePointStopped(_ tp: RTracePoint, ec: ExecutionContext) -> (wasEnabled: Bool, firstInstrumentation: Bool) {
        let state = traceState
        buildInnerCalls(state)
        if !state.observing {
            state.observing = true
            addMethodObserver(state)
        }
        let wasEnabled = tp.isEnabled
        tp.isEnabled = true
        if !tp.isPinned {
            tp.isPinned = true
            heap.pin(.object(tp))
        }
        state.enabled.insert(tp, at: 0)
        var first = false
        if !state.instrumented && !tp.events.isDisjoint(with: TraceEvent.iseqEvents) {
            state.instrumented = true
            first = true
        }
        updateTraceEvents(ec)
        return (wasEnabled, first)
    }

    /// Disables `tp` (every registration of its hook); returns whether it was enabled.
    @discardableResult
    func disableTracePoint(_ tp: RTracePoint, ec: ExecutionContext) -> Bool {
        withWorldStopped {
            guard tp.isEnabled else { return false }
            tp.isEnabled = false
            traceState.enabled.removeAll { $0 === tp }
            updateTraceEvents(ec)
            return true
        }
    }

    /// Recomputes `traceEvents` from the enabled TracePoints. While `c_call`/`c_return` are traced the
    /// interpreter's inlined operators take the generic send (Ruby fires `c_call :+` for `1 + 2`); when
    /// tracing starts the JIT is told (its code fires no events: it invalidates it and stays out).
    func updateTraceEvents(_ ec: ExecutionContext) {
        let state = traceState
        let union = state.enabled.reduce(TraceEvent()) { $0.union($1.events) }
        let wasTracing = traceEvents != 0
        if !union.isDisjoint(with: [.cCall, .cReturn]) {
            if state.maskBeforeCTracing == nil {
                state.maskBeforeCTracing = basicOperationsMask
                state.basicOperationRedefined = false
                basicOperationsMask = 0
            }
        } else if let saved = state.maskBeforeCTracing {
            basicOperationsMask = state.basicOperationRedefined ? 0 : saved
            state.maskBeforeCTracing = nil
        }
        traceEvents = union.rawValue
        if !wasTracing && traceEvents != 0 {
            jit?.tracingDidStart(ec: ec)
        } else if wasTracing && traceEvents == 0 {
            jit?.tracingDidStop(ec: ec)
        }
    }

    /// The enabled TracePoints, newest first.
    public var enabledTracePoints: [RTracePoint] { traceState.enabled }
}
