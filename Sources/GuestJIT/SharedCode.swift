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
struct SharedCode {
    typealias Trampoline = @convention(c) (UnsafeMutableRawPointer, UnsafeMutableRawPointer, UInt) -> UInt64

    let page: Int
    let trampoline: Trampoline
    let trampolineAddress: UInt
    let epilogue: UInt
    let exitInterpret: UInt
    let dispatchSpecial: UInt
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
        asm.sub(.rsp, 8)  // rsp is 16-byte aligned at every call JIT code makes
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

        let bytes = try asm.finalize()
        let address = try region.emit(bytes, in: .inline, of: PageIndex(page))
        precondition(address == base)
        self.page = page
        trampolineAddress = base
        trampoline = unsafeBitCast(base, to: Trampoline.self)
        epilogue = asm.address(of: epilogueLabel)!
        exitInterpret = asm.address(of: exitLabel)!
        dispatchSpecial = asm.address(of: dispatchLabel)!
        range = base..<(base + UInt(bytes.count))
    }
}
