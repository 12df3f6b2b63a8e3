/// The seam between the interpreter and a JIT (set `VM.jit`; nil with --no-jit).
///
/// 1. Counting: every time the interpreter pushes a frame for an ISEQ method it increments
///    `ISeq.callCount`; when the count reaches `callThreshold` and `ISeq.jitEntry` is nil it calls
///    `compile`, which may set `jitEntry`.
/// 2. Entry: when the pushed ISEQ has a `jitEntry`, the interpreter calls `enter` with the new frame as
///    `ec.cfp` (pc at the first instruction, locals initialised, operand stack empty) instead of
///    interpreting it. JIT code runs frames until it exits; it must leave every frame it touched with
///    pc/sp written back. `enter` reports where the interpreter continues (see `JITExit`). JIT code must
///    not `leave` a frame flagged `FrameFlags.finish`: it exits to the interpreter before that `leave`.
/// 3. Return: when the interpreter executes `leave` for a frame whose `jitReturn` is set (pushed by JIT
///    code, later side-exited), it pops the frame and calls `resume` so the caller's JIT code continues;
///    a nil-returning hook makes the interpreter continue the caller itself (its pc is always valid).
///    JIT code may also run a callee frame it pushed in a nested loop (`VM.jitInterpretCallee`): that
///    frame is flagged `finish` and keeps its `jitReturn`; its `leave` returns to the JIT's helper (finish
///    is tested first), which continues the caller's code itself.
public protocol JITCompiler: AnyObject {
    var callThreshold: Int { get }
    func compile(_ iseq: ISeq, ec: ExecutionContext)
    func enter(_ iseq: ISeq, ec: ExecutionContext) -> JITExit
    /// The callee already popped; `value` is its result, not yet pushed on the caller's stack.
    func resume(at jitReturn: UnsafeRawPointer, value: Value, ec: ExecutionContext) -> JITExit?
    /// 4. Tracing: called when the first TracePoint is enabled (`VM.traceEvents` became nonzero), possibly
    ///    from a cfunc JIT code called. JIT code fires no events, so from now until `tracingDidStop` no JIT
    ///    code may run: `enter`/`resume` must answer "interpret", and frames returning into JIT code must
    ///    leave it at once (the interpreter fires their events).
    func tracingDidStart(ec: ExecutionContext)
    /// The last TracePoint was disabled: compiling and running JIT code is allowed again.
    func tracingDidStop(ec: ExecutionContext)
    /// `ec` (a finished thread or fiber) will run no more code: release what the JIT keeps for it
    /// (`ExecutionContext.jitRuntime`). Called under the VM lock.
    func contextEnded(_ ec: ExecutionContext)
    /// 5. Object roots: calls `body` with every Value the JIT's code or data may still use that the object
    ///    collector cannot find otherwise (e.g. object literals of dead ISEQs whose compiled code is not
    ///    freed yet). Called by the collector with the world stopped.
    func forEachObjectRoot(_ body: (Value) -> Void)
    /// 6. Teardown: the VM is being deinitialized (it owns its JIT, which holds it without a reference
    ///    count). Called first in its deinit, with the VM still whole: stop reacting to the VM (ISEQs die
    ///    right after). The JIT must not use the VM from now on, even if someone else still holds the JIT.
    func vmWillDeinit()
}

extension JITCompiler {
    public func tracingDidStart(ec: ExecutionContext) {}
    public func tracingDidStop(ec: ExecutionContext) {}
    public func contextEnded(_ ec: ExecutionContext) {}
    public func forEachObjectRoot(_ body: (Value) -> Void) {}
    public func vmWillDeinit() {}
}

/// How JIT code handed control back.
public enum JITExit {
    /// Continue interpreting `ec.cfp` at its saved pc/sp.
    case interpret
    /// `value` was thrown from `ec.cfp` (its pc saved past the raising instruction).
    case raise(Value)
}
