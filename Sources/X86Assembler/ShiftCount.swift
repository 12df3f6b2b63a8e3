/// How far a shift instruction shifts: an immediate count or the `cl` register.
///
/// Integer literals convert to `.immediate`, so `asm.shl(.rax, 3)` and `asm.shl(.rax, .cl)` both read naturally.
/// The hardware masks the count to 6 bits (5 for 32-bit operands).
public enum ShiftCount: Sendable, ExpressibleByIntegerLiteral {
    /// Shift by a constant.
    case immediate(UInt8)
    /// Shift by the low bits of `cl` (load the count into `.rcx` first).
    case cl

    /// A literal shift count.
    @inlinable public init(integerLiteral value: UInt8) { self = .immediate(value) }
}
