import GuestVM
import X86Assembler

/// JIT code's loop back-edge interrupt checks as safepoints that do not leave (method entries still leave).
///
/// The check itself stays one compare and a never-taken branch inline. When the runtime block's
/// interrupt flag is up (a stop of the world, the object heap past its threshold, a posted request),
/// the branch goes to an outlined poll that saves the frame's pc and sp as an exit would, calls
/// ``JITHelpers/interrupt`` (the VM's safepoint: park, collect objects, serve the request) and comes
/// back to the compiled code, so a hot loop that allocates keeps running compiled across collections.
/// It leaves through the instruction's exit instead when it cannot know the block's assumptions still
/// hold: tracing started, a method changed, or code was collected while the thread was parked (the
/// collector reached this block only through the poll's return address, which does not keep the
/// blocks it branches to).
extension BlockCompiler {
    /// Emits an interrupt check at instruction `pc` with `depth` operand-stack slots saved on a poll
    /// (the same state the instruction's exit resumes the interpreter with). `reloadRAX`: the operand
    /// slot whose value the code after the check expects in rax (the helper call clobbers it).
    mutating func emitInterruptPoll(pc: Int, depth: Int, reloadRAX: Int? = nil) {
        unshareable = true
        let exitAddress = exit(pc: pc, depth: depth)
        let poll = outlined.currentAddress
        // Bytes 0-3: a stop or posted request (byte 0), or a collection wanted (byte 1, see `Safepoints`).
        inline.cmp(Memory(base: .r12, displacement: RuntimeBlock.interrupt), 0, size: .dword)
        inline.jcc(.notEqual, absolute: poll)
        let back = inline.currentAddress
        outlined.movabs(.rax, UInt64(UInt(bitPattern: iseq.code + pc)))
        outlined.mov(Memory(base: .r13, displacement: Int32(ControlFrame.Offsets.pc)), .rax)
        outlined.lea(.rax, Memory(base: .r14, displacement: Int32((localCount + depth) * 8)))
        outlined.mov(Memory(base: .r13, displacement: Int32(ControlFrame.Offsets.sp)), .rax)
        outlined.mov(.rdi, .r12)
        outlined.mov(.rsi, .r13)
        outlined.movabs(.rax, UInt64(JITHelpers.interruptAddress))
        outlined.call(.rax)
        outlined.test(.rax, .rax)
        outlined.jcc(.notZero, absolute: exitAddress)
        if let reloadRAX { outlined.mov(.rax, slot(reloadRAX)) }
        outlined.jmp(absolute: back)
    }
}

extension JITHelpers {
    typealias Interrupt = @convention(c) (UnsafeMutableRawPointer, UnsafeMutableRawPointer) -> UInt

    /// An interrupt check found the flag up in frame `cfp` (pc and sp saved): 0 continue, 1 leave
    /// through the instruction's exit.
    static let interrupt: Interrupt = { runtime, cfp in
        IncompleteFrames.complete(cfp.assumingMemoryBound(to: ControlFrame.self))
        return GuestJIT.withHelperJIT(runtime) { $0.interruptPoll(cfp: cfp.assumingMemoryBound(to: ControlFrame.self)) }
    }

    static let interruptAddress = unsafeBitCast(interrupt, to: UInt.self)
}

extension GuestJIT {
    func interruptPoll(cfp: UnsafeMutablePointer<ControlFrame>) -> UInt {
        withVM { interruptPoll(cfp: cfp, vm: $0) }
    }

    /// `vm` borrowed (see `withVM`).
    private func interruptPoll(cfp: UnsafeMutablePointer<ControlFrame>, vm: VM) -> UInt {
        let runtime = self.runtime
        return JITHelpers.context(runtime.base)._withUnsafeGuaranteedRef { ec in
            // The frames JIT code pushed itself become visible to the collectors and stack dumps.
            ec.cfp = cfp
            let serial = runtime.word(RuntimeBlock.serial).pointee
            let collections = codeCollections
            vm.jitSafepoint(ec)
            if vm.traceEvents != 0 || runtime.word(RuntimeBlock.serial).pointee != serial || codeCollections != collections {
                return 1
            }
            return 0
        }
    }
}
