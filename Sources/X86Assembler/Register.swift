/// A general-purpose x86-64 register, named by its 64-bit form.
///
/// The operand size of an instruction (``OperandSize``) selects which part of the register is used,
/// so `.rax` also stands for `eax` in 32-bit forms and for `al` in byte forms (`setcc`, `movzx`).
/// The raw value is the hardware register number (0-15).
public enum Register: UInt8, CaseIterable, Sendable {
    /// rax / eax / al: return value, implicit operand of `idiv` and `cqo`.
    case rax = 0
    /// rcx / ecx / cl: fourth integer argument (System V), shift count for `shl(_:_:)` by `.cl`.
    case rcx
    /// rdx / edx / dl: third integer argument, high half of the `idiv` dividend.
    case rdx
    /// rbx / ebx / bl: callee-saved.
    case rbx
    /// rsp / esp / spl: stack pointer. Needs a SIB byte as a memory base and cannot be an index.
    case rsp
    /// rbp / ebp / bpl: frame pointer. Needs a displacement as a memory base.
    case rbp
    /// rsi / esi / sil: second integer argument.
    case rsi
    /// rdi / edi / dil: first integer argument.
    case rdi
    /// r8 / r8d / r8b: fifth integer argument.
    case r8
    /// r9 / r9d / r9b: sixth integer argument.
    case r9
    /// r10 / r10d / r10b: caller-saved scratch.
    case r10
    /// r11 / r11d / r11b: caller-saved scratch.
    case r11
    /// r12 / r12d / r12b: callee-saved. Needs a SIB byte as a memory base, like rsp.
    case r12
    /// r13 / r13d / r13b: callee-saved. Needs a displacement as a memory base, like rbp.
    case r13
    /// r14 / r14d / r14b: callee-saved.
    case r14
    /// r15 / r15d / r15b: callee-saved.
    case r15

    /// The low three bits that go into ModRM/SIB fields or the opcode.
    @inlinable var low3: UInt8 { rawValue & 7 }

    /// The byte registers spl, bpl, sil and dil exist only when a REX prefix is present;
    /// without one the same numbers mean ah, ch, dh and bh.
    @inlinable var byteFormNeedsREX: Bool { rawValue >= 4 && rawValue <= 7 }
}
