import CodeGC
import GuestVM

/// TracePoint support: JIT code fires no events, so while any TracePoint is enabled no JIT code runs.
///
/// Enabling the first TracePoint invalidates every block (entries removed, so calls interpret; return
/// points patched to exits, so a frame returning into compiled code, e.g. the caller of the cfunc that
/// enabled tracing, leaves it at the next instruction and the interpreter fires the events from there
/// on). The builtin's own `c_return` fires in `VM.callCFunction` before it returns to that point. The
/// VM neither compiles nor enters JIT code, nor resumes it at a `jitReturn`, while tracing; the send
/// and stub helpers also leave JIT code then, in case a return point could not be patched (no room
/// for its exit). Disabling the last TracePoint lets methods compile again.
extension GuestJIT {
    public func tracingDidStart(ec: ExecutionContext) {
        counters.tracingInvalidations += 1
        invalidateAll()
    }

    public func tracingDidStop(ec: ExecutionContext) {}

    /// The send helper's way out after a completed call when tracing started during it: the frame
    /// continues in the interpreter after the send (pc already saved past it), with the result on top.
    func leaveForTracing(_ cfp: UnsafeMutablePointer<ControlFrame>, stackTop: UnsafeMutablePointer<Value>) -> UInt {
        cfp.pointee.sp = stackTop
        runtime.word(RuntimeBlock.cfp).pointee = UInt64(UInt(bitPattern: cfp))
        return 2
    }

    /// A stub hit while tracing compiles nothing: resume the interpreter at the branch target.
    func exitFromStubForTracing(_ stub: StubID, cfp: UnsafeMutablePointer<ControlFrame>) -> UInt {
        switch gc.stubHit(stub) {
        case .compile(let request): return exitFromStub(cfp, key: request.key)
        case .branchInvalidated(let key): return exitFromStub(cfp, key: key)
        // Linked meanwhile (never after invalidating everything): the helpers leave at its next call.
        case .resolved(let block): return gc.entryAddress(of: block) ?? exitFromStub(cfp, key: nil)
        case .stale: return exitFromStub(cfp, key: nil)
        }
    }
}
