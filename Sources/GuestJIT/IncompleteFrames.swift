import GuestVM

/// The VM frames a cached call pushes stay incomplete while only JIT code runs: the cached call writes what
/// compiled code reads (`ep`, `self`, `jitReturn`), a nil `pc` and, in `flags`, the call site's `CallCache`
/// record; the caller's `pc` and `sp` (suspended at that site) and the callee's special slot (`ep[-1]`, the
/// receiver's slot, no block) stay unwritten too. Everything else (the ISEQ, method entry, cref, an unsaved
/// pc and sp, the special slot, the caller's pc and sp) follows from the record, so
/// ``complete(_:)`` writes it when Swift is about to look at the frames: first thing in every helper
/// JIT code calls and right after JIT code leaves (`GuestJIT.run`). Nothing else reads frames while JIT
/// code runs: the collectors, stack dumps, backtraces and unwinding run inside helpers or after a leave,
/// and another thread looks at this thread's frames only once it is parked, which it does only inside a
/// helper or after leaving.
///
/// The record still describes the frame then: a record valid for the current serial is never rewritten
/// (multi-threaded, only stale records are filled; the serial changes with the world stopped, when every
/// thread has completed its frames), and on this thread a refill happens only in the send helper, after
/// completing. A record whose interpreted callee became due keeps every word but its entry (see
/// `GuestJIT.interpretedCallsDue`).
///
/// Incomplete frames are always the newest run of frames: any frame pushed by other means (the send helper,
/// the interpreter) is pushed after completing.
enum IncompleteFrames {
    /// A complete frame's `flags` has its type (1...6) in the low byte; a record's address is 16-aligned.
    @inline(__always)
    static func isIncomplete(_ frame: UnsafeMutablePointer<ControlFrame>) -> Bool {
        let flags = frame.pointee.flags
        return flags & 0xf == 0 && flags != 0
    }

    /// Completes `cfp` and the incomplete frames under it.
    @inline(__always)
    static func complete(_ cfp: UnsafeMutablePointer<ControlFrame>) {
        var frame = cfp
        while isIncomplete(frame) { frame = completeOne(frame) }
    }

    /// `complete` with the first frame's completion inlined: for the interpreted-callee helper, whose
    /// frame (the one the cached call just pushed) is always incomplete.
    @inline(__always)
    static func completeInline(_ cfp: UnsafeMutablePointer<ControlFrame>) {
        guard isIncomplete(cfp) else { return }
        complete(completeOneInline(cfp))
    }

    /// Completes `frame` and its caller's pc and sp; returns the caller.
    @inline(never)
    static func completeOne(_ frame: UnsafeMutablePointer<ControlFrame>) -> UnsafeMutablePointer<ControlFrame> {
        completeOneInline(frame)
    }

    @inline(__always)
    static func completeOneInline(_ frame: UnsafeMutablePointer<ControlFrame>) -> UnsafeMutablePointer<ControlFrame> {
        let record = UnsafeRawPointer(bitPattern: UInt(frame.pointee.flags))!
        func word(_ offset: Int) -> UInt { record.load(fromByteOffset: offset, as: UInt.self) }
        frame.pointee.iseq = UnsafeMutableRawPointer(bitPattern: word(CallCache.iseq))
        frame.pointee.blockISeq = nil
        frame.pointee.methodEntry = UnsafeMutableRawPointer(bitPattern: word(CallCache.methodEntry))
        frame.pointee.cref = UnsafeMutableRawPointer(bitPattern: word(CallCache.cref))
        frame.pointee.ep[-1] = Value(raw: 0)
        if frame.pointee.pc == nil {
            // Not saved by the frame's own code (an exit or a poll saves both): the state at its entry.
            frame.pointee.pc = UnsafeMutablePointer(bitPattern: word(CallCache.code))
            frame.pointee.sp = frame.pointee.ep + Int(word(CallCache.spBytes) / 8)
        }
        let caller = frame - 1
        caller.pointee.pc = UnsafeMutablePointer(bitPattern: word(CallCache.nextPC))
        caller.pointee.sp = frame.pointee.ep + Int(word(CallCache.argcBytes) / 8)
        frame.pointee.flags = UInt64(FrameType.method.rawValue)
        return caller
    }
}
