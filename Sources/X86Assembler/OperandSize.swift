/// The width of an instruction's register and memory operands.
///
/// 32-bit forms zero the upper half of a destination register, which makes them the cheap way to
/// zero-extend (`mov(.rax, .rax, size: .dword)`) or to clear a register (`xor(.rax, .rax, size: .dword)`).
public enum OperandSize: Sendable {
    /// 32-bit operands (`eax`, `dword ptr`).
    case dword
    /// 64-bit operands (`rax`, `qword ptr`): sets REX.W.
    case qword

    @inlinable var isQword: Bool { self == .qword }
}
