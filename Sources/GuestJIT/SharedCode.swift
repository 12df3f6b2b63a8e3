import CodeMemory
import GuestVM
import X86Assembler

/// Code every compiled block uses, generated once into a page the JIT holds forever.
///
/// - `trampoline(runtime, cfp, target)`: the only way into JIT code. It builds a native rbp frame (so the
///   region-wide unwind registration, CFA = rbp + 16, describes every call JIT code makes), saves the
///   callee-saved registers JIT code uses (r12 runtime block, r13 cfp, r14 ep), and jumps to `target`.
///   It returns a status: 0 continue interpreting `runtime.cfp`, 1 a raise is pending.
/// - `epilogue`: tears that frame down and returns the status in rax.
/// - `exitInterpret`: status 0 (a helper has already written the frame state and `runtime.cfp`).
/// - `dispatchSpecial`: what a helper's nonzero answer means: 1 or 2 leave with that status, anything
///   else is the entry of a callee frame the helper pushed (`runtime.cfp`): jump there.
/// - `send` / `sendUncached`: the body of every send site (see `emitSend`), entered by `call` from the
///   site with rsi = the site's `CallCache` record and the site's return point as return address on the
///   native stack; `sendUncached` with rdi = the caller's stack top (end of the arguments), `send` with
///   rax = the arguments' start and r8 = the receiver, whose slot the site has not written (`send` writes
///   it, and rdi, on a miss). `send` tries the cached call (guards, stack checks, callee frame push, jump
///   to the callee entry with that return point as the frame's `jitReturn` and still on the native
///   stack, paired); a miss, and every `sendUncached`, calls the send helper from an rbp frame whose
///   return address is the site's return point, then returns there (or dispatches the helper's special
///   answer).
/// - `interpretCallee`: the cached call's entry for a callee that has no code: leaves to the interpreter
///   with the callee frame pushed (see `emitInterpretCallee`).
/// - `exitTail`: the rest of every side exit: rax = the pc to resume at, rdx = the stack top.
/// - `relativeExitTail`: the same for code shared by several ISEQs (`SharedBodies`): rax = the pc's byte
///   offset in the frame's ISEQ, whose code address a helper adds (it cannot be baked into shared code).
struct SharedCode {
    typealias Trampoline = @convention(c) (UnsafeMutableRawPointer, UnsafeMutableRawPointer, UInt) -> UInt64

    let page: Int
    let trampoline: Trampoline
    let trampolineAddress: UInt
    let epilogue: UInt
    let exitInterpret: UInt
    let dispatchSpecial: UInt
    let send: UInt
    let sendUncached: UInt
    let interpretCallee: UInt
    let exitTail: UInt
    let relativeExitTail: UInt
    let range: Range<UInt>

    init(region: CodeRegion, page: Int) throws {
        let base = region.bumpAddress(.inline, of: PageIndex(page))
        var asm = Assembler(baseAddress: base)
        let epilogueLabel = asm.newLabel()
        let exitLabel = asm.newLabel()
        let dispatchLabel = asm.newLabel()

        asm.push(.rbp)
        asm.mov(.rbp, .rsp)
        asm.push(.rbx)
        asm.push(.r12)
        asm.push(.r13)
        asm.push(.r14)
        asm.push(.r15)
        // rsp is 16-byte aligned at every call JIT code makes. The word is the level's owner marker (see
        // `emitCachedSend`): 0, no frame, so a frame running at the trampoline's level never returns with `ret`.
        asm.push(0)
        asm.mov(.r12, .rdi)
        asm.mov(.r13, .rsi)
        asm.mov(.r14, Memory(base: .r13, displacement: Int32(ControlFrame.Offsets.ep)))
        asm.xor(.rax, .rax, size: .dword)
        asm.jmp(.rdx)

        asm.alignWithNops(to: 16)
        asm.bind(epilogueLabel)
        asm.lea(.rsp, Memory(base: .rbp, displacement: -40))
        asm.pop(.r15)
        asm.pop(.r14)
        asm.pop(.r13)
        asm.pop(.r12)
        asm.pop(.rbx)
        asm.pop(.rbp)
        asm.ret()

        asm.alignWithNops(to: 16)
        asm.bind(exitLabel)
        asm.xor(.rax, .rax, size: .dword)
        asm.jmp(epilogueLabel)

        asm.alignWithNops(to: 16)
        asm.bind(dispatchLabel)
        asm.cmp(.rax, 2)
        asm.jcc(.belowOrEqual, epilogueLabel)
        asm.mov(.r13, Memory(base: .r12, displacement: RuntimeBlock.cfp))
        asm.mov(.r14, Memory(base: .r13, displacement: Int32(ControlFrame.Offsets.ep)))
        asm.jmp(.rax)

        let sendLabel = asm.newLabel()
        let sendUncachedLabel = asm.newLabel()
        let exitTailLabel = asm.newLabel()
        asm.alignWithNops(to: 16)
        asm.bind(sendLabel)
        Self.emitCachedSend(&asm, miss: sendUncachedLabel)
        asm.alignWithNops(to: 16)
        asm.bind(sendUncachedLabel)
        Self.emitHelperSend(&asm, dispatch: dispatchLabel)
        let interpretCalleeLabel = asm.newLabel()
        asm.alignWithNops(to: 16)
        asm.bind(interpretCalleeLabel)
        Self.emitInterpretCallee(&asm, epilogue: epilogueLabel, dispatch: dispatchLabel)

        asm.alignWithNops(to: 16)
        asm.bind(exitTailLabel)
        asm.mov(Memory(base: .r13, displacement: Int32(ControlFrame.Offsets.pc)), .rax)
        asm.mov(Memory(base: .r13, displacement: Int32(ControlFrame.Offsets.sp)), .rdx)
        asm.mov(Memory(base: .r12, displacement: RuntimeBlock.cfp), .r13)
        asm.add(Memory(base: .r12, displacement: RuntimeBlock.sideExits), 1)
        asm.xor(.rax, .rax, size: .dword)
        asm.jmp(epilogueLabel)

        // rsp is 16-byte aligned in block code: two pushes keep it so for the helper call.
        let relativeExitTailLabel = asm.newLabel()
        asm.alignWithNops(to: 16)
        asm.bind(relativeExitTailLabel)
        asm.push(.rdx)
        asm.push(.rdx)
        asm.mov(.rdi, .r13)
        asm.mov(.rsi, .rax)
        asm.movabs(.rax, UInt64(JITHelpers.pcAddressAddress))
        asm.call(.rax)
        asm.pop(.rdx)
        asm.pop(.rdx)
        asm.jmp(exitTailLabel)

        let bytes = try asm.finalize()
        let address = try region.emit(bytes, in: .inline, of: PageIndex(page))
        precondition(address == base)
        self.page = page
        trampolineAddress = base
        trampoline = unsafeBitCast(base, to: Trampoline.self)
        epilogue = asm.address(of: epilogueLabel)!
        exitInterpret = asm.address(of: exitLabel)!
        dispatchSpecial = asm.address(of: dispatchLabel)!
        send = asm.address(of: sendLabel)!
        sendUncached = asm.address(of: sendUncachedLabel)!
        interpretCallee = asm.address(of: interpretCalleeLabel)!
        exitTail = asm.address(of: exitTailLabel)!
        relativeExitTail = asm.address(of: relativeExitTailLabel)!
        range = base..<(base + UInt(bytes.count))
    }

    /// The cached call, without any helper, when the site's record matches: receiver a heap object of the
    /// cached class under the current serial, room on both stacks (the native one above the runtime
    /// block's limit). Then it pushes the callee frame like `pushISeqFrame` but incomplete (see
    /// `IncompleteFrames`: the caller's pc and sp, the callee's ISEQ, method entry, cref, flags and special
    /// slot are written only when Swift needs them), copies the site's return point into the frame's
    /// `jitReturn` and jumps to the cached entry. Any miss goes to `miss` with the receiver written to its
    /// slot, rdi the caller's stack top, and rsi and the return point untouched.
    ///
    /// Paired returns: the return point stays on the native stack, and the callee frame's address is
    /// pushed under it (which keeps rsp 16-byte aligned). The callee's code runs on this new "level";
    /// its `leave` returns with `ret` (predicted by the CPU's return stack, since the site's `call` is
    /// still the innermost unmatched one) only when the word at rsp is its own frame address and the word
    /// above it is still its `jitReturn` (`BlockCompiler.emitLeave`). Every level's marker is written when
    /// the level is made (here, or 0 by the trampoline), and a level lives no longer than the frame it was
    /// made for (its leave pops it; an exit or raise drops the trampoline's whole stack), so a frame finds
    /// its own address there only on its own level: a frame the send helper pushed (which runs on its
    /// caller's level) or one the interpreter re-entered through `jitReturn` (on a new trampoline's
    /// level, after a side exit dropped its own) returns the indirect way, as does a frame whose
    /// `jitReturn` `JIT.discard_all` cleared. The region-wide unwind rule (CFA = rbp + 16, rbp is the
    /// trampoline's) does not look at rsp, so the levels are invisible to stack walks; the return points
    /// they hold are roots through the frames' `jitReturn` anyway.
    static func emitCachedSend(_ asm: inout Assembler, miss: Label) {
        let frame = { (offset: Int) in Memory(base: .r9, displacement: Int32(offset)) }
        let record = { (offset: Int) in Memory(base: .rsi, displacement: Int32(offset)) }
        let fill = asm.newLabel()
        let filled = asm.newLabel()
        let missing = asm.newLabel()
        // rax = the arguments (the callee's ep), r8 = the receiver (its slot is not written yet).
        asm.test(.r8, byte: 7)
        asm.jcc(.notZero, missing)
        asm.cmp(.r8, 0xff)
        asm.jcc(.belowOrEqual, missing)
        // Serial first, then class: another thread may fill a stale record meanwhile (see `CallCache`).
        asm.mov(.rdx, Memory(base: .r12, displacement: RuntimeBlock.serial))
        asm.cmp(.rdx, record(CallCache.serial))
        asm.jcc(.notEqual, missing)
        asm.mov(.rdx, Memory(base: .r8, displacement: 16))
        asm.cmp(.rdx, record(CallCache.klass))
        asm.jcc(.notEqual, missing)
        asm.mov(.rdx, .rax)
        asm.add(.rdx, record(CallCache.reserveBytes))
        asm.cmp(.rdx, Memory(base: .r12, displacement: RuntimeBlock.stackLimit))
        asm.jcc(.aboveOrEqual, missing)
        asm.lea(.r9, Memory(base: .r13, displacement: Int32(ControlFrame.Offsets.size)))
        asm.cmp(.r9, Memory(base: .r12, displacement: RuntimeBlock.frameLimit))
        asm.jcc(.aboveOrEqual, missing)
        // Each paired call keeps 16 bytes of native stack: past the limit (deep recursion, a fiber's small
        // stack) calls go through the helper, whose callees run on their caller's level.
        asm.cmp(.rsp, Memory(base: .r12, displacement: RuntimeBlock.nativeStackLimit))
        asm.jcc(.below, missing)
        // Locals past the arguments start nil (they begin at the caller's stack top).
        asm.cmp(record(CallCache.extraLocals), 0)
        asm.jcc(.notEqual, fill)
        asm.bind(filled)
        asm.mov(.rdx, Memory(base: .rsp))
        asm.mov(frame(ControlFrame.Offsets.jitReturn), .rdx)
        asm.push(.r9)
        // The callee frame, incomplete (see `IncompleteFrames`): what its code reads (ep, self, jitReturn),
        // pc 0 (not saved yet) and the record in `flags`; Swift completes it (and writes its special slot,
        // the receiver's) before anything else reads it.
        asm.mov(frame(ControlFrame.Offsets.pc), 0)
        asm.mov(frame(ControlFrame.Offsets.ep), .rax)
        asm.mov(frame(ControlFrame.Offsets.selfValue), .r8)
        asm.mov(frame(ControlFrame.Offsets.flags), .rsi)
        asm.mov(.r13, .r9)
        asm.mov(.r14, .rax)
        asm.jmp(record(CallCache.entry))
        // Out of the straight path: the callee's locals past its arguments start nil (they begin at the
        // caller's stack top).
        asm.bind(fill)
        asm.mov(.rdx, record(CallCache.extraLocals))
        asm.mov(.rcx, .rax)
        asm.add(.rcx, record(CallCache.argcBytes))
        let more = asm.newLabel()
        asm.bind(more)
        asm.mov(Memory(base: .rcx), Int32(Value.nil.raw))
        asm.add(.rcx, 8)
        asm.sub(.rdx, 1)
        asm.jcc(.notZero, more)
        asm.jmp(filled)
        // A miss: the helper finds the receiver in its slot.
        asm.bind(missing)
        asm.mov(Memory(base: .rax, displacement: -8), .r8)
        asm.mov(.rdi, .rax)
        asm.add(.rdi, record(CallCache.argcBytes))
        asm.jmp(miss)
    }

    /// The cached call's "entry" of an interpreted callee: the callee frame is pushed (r13, with the site's
    /// return point as `jitReturn`, and the level the cached call made on the native stack: its marker,
    /// then the return point), rsi is the site's record. One helper call runs the callee in a nested
    /// interpreter loop and returns to the return point: no method lookup or frame set-up in Swift, and no
    /// exit from and re-entry into JIT code. When the record's count of calls runs out, the
    /// `interpretedCallsDue` helper counts them for the ISEQ (it may compile it) and answers like the send
    /// helper: 2 (the interpreter runs the callee), or the callee's new entry.
    static func emitInterpretCallee(_ asm: inout Assembler, epilogue: Label, dispatch: Label) {
        let due = asm.newLabel()
        let special = asm.newLabel()
        // The callee's first instructions are the one cold line the interpreter needs (the record and
        // the frames are warm): start loading them now, so the miss overlaps the helper's entry instead
        // of stalling the interpreter's first dispatch.
        asm.mov(.rax, Memory(base: .rsi, displacement: Int32(CallCache.code)))
        asm.prefetchT0(Memory(base: .rax))
        asm.prefetchT0(Memory(base: .rax, displacement: 64))
        asm.sub(Memory(base: .rsi, displacement: Int32(CallCache.interpretedCallsLeft)), 1)
        // Signed: racing threads may take it below zero (it must still end up at the helper).
        asm.jcc(.lessOrEqual, due)
        // The callee runs in a nested interpreter loop (`JITHelpers.interpretCallee`), called from an rbp
        // frame whose return address is the site's return point (the callee's `jitReturn`), as in
        // `emitHelperSend`: the precise walk pins the caller's block while the callee runs.
        asm.push(Memory(base: .r13, displacement: Int32(ControlFrame.Offsets.jitReturn)))
        asm.push(.rbp)
        asm.mov(.rbp, .rsp)
        asm.mov(.rdi, .r12)
        asm.mov(.rsi, .r13)
        asm.mov(.rdx, .rsp)
        asm.movabs(.rax, UInt64(JITHelpers.interpretCalleeAddress))
        asm.call(.rax)
        asm.pop(.rbp)
        asm.add(.rsp, 8)
        asm.test(.rax, .rax)
        asm.jcc(.notZero, special)
        // Returned (the result is in the receiver slot): leave the callee's level as its paired `leave`
        // would, dropping the level marker under the return point, and return there.
        asm.sub(.r13, Int32(ControlFrame.Offsets.size))
        asm.mov(.r14, Memory(base: .r13, displacement: Int32(ControlFrame.Offsets.ep)))
        asm.add(.rsp, 8)
        asm.ret()
        // 1 raise pending (`runtime.cfp` the caller), 2 leave to the interpreter (the callee not run: no
        // room on the native stack; or tracing started and the return point could not exit).
        asm.bind(special)
        asm.jmp(dispatch)
        asm.bind(due)
        asm.mov(.rdi, .r12)
        asm.mov(.rdx, .r13)
        asm.movabs(.rax, UInt64(JITHelpers.interpretedCallsDueAddress))
        asm.call(.rax)
        asm.jmp(dispatch)
    }

    /// The send helper call. The rbp frame makes the site's return point (at rbp + 8) a return address the
    /// collector's precise walk finds (the region's unwind rule is CFA = rbp + 16 everywhere): it pins the
    /// caller's block while the callee runs, exactly as a helper call from the block's own code would.
    /// The `call` leaves rsp 16-byte aligned (the site's `call` pushed 8, `push rbp` 8 more).
    static func emitHelperSend(_ asm: inout Assembler, dispatch: Label) {
        let special = asm.newLabel()
        asm.push(.rbp)
        asm.mov(.rbp, .rsp)
        asm.mov(.rcx, .rdi)
        asm.mov(.rdx, Memory(base: .rsi, displacement: Int32(CallCache.callSite)))
        asm.mov(.r8, Memory(base: .rsi, displacement: Int32(CallCache.nextPC)))
        asm.mov(.r9, Memory(base: .rbp, displacement: 8))
        asm.mov(.rdi, .r12)
        asm.mov(.rsi, .r13)
        asm.movabs(.rax, UInt64(JITHelpers.sendAddress))
        asm.call(.rax)
        asm.pop(.rbp)
        asm.test(.rax, .rax)
        asm.jcc(.notZero, special)
        asm.ret()
        asm.bind(special)
        // Leaving or entering a callee the helper pushed: the site's return point is not returned to.
        asm.add(.rsp, 8)
        asm.jmp(dispatch)
    }
}
