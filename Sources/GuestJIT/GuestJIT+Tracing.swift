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
        // Every cached call goes through the send helper again, which fires the call events (a record
        // whose callee is interpreted names no code, so invalidating code would not make it miss).
        bumpCallCacheSerial()
        invalidateAll()
    }

    public func tracingDidStop(ec: ExecutionContext) {}

    /// After a completed call while tracing (it started during the call): JIT code continues at its
    /// return point, which invalidation patched to exit to the interpreter after the send. Only if that
    /// patch failed (no room for the exit) does the helper leave itself, with the same frame state: pc
    /// already saved past the send, the result on top of the stack.
    func leaveForTracing(_ cfp: UnsafeMutablePointer<ControlFrame>, stackTop: UnsafeMutablePointer<Value>,
                         returnPoint: UnsafeRawPointer) -> UInt {
        if returnPointExits(returnPoint) { return 0 }
        cfp.pointee.sp = stackTop
        runtime.word(RuntimeBlock.cfp).pointee = UInt64(UInt(bitPattern: cfp))
        return 2
    }

    /// Whether the return point at `label` (a `BlockCompiler.emitSend` return label) was patched away
    /// from the code after it. Its patchable `jmp rel32` follows the label, after the assembler's
    /// padding (the 5 bytes never straddle an 8-byte word), and jumps to the next instruction until
    /// patched.
    func returnPointExits(_ label: UnsafeRawPointer) -> Bool {
        let address = UInt(bitPattern: label)
        let start = Int(address & 7)
        let jump = address + UInt(start + 5 > 8 ? 8 - start : 0)
        guard region.contains(address: jump), region.contains(address: jump + 4),
              let bytes = UnsafeRawPointer(bitPattern: jump), bytes.load(as: UInt8.self) == 0xE9 else { return false }
        let displacement = bytes.loadUnaligned(fromByteOffset: 1, as: Int32.self)
        return displacement != 0
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
