/// Why ``Assembler/finalize()`` refused to produce code.
///
/// Emitting never traps on bad operands: the first problem is recorded with the code offset of the
/// instruction that caused it and reported by `finalize()`.
public enum AssemblerError: Error, Equatable, Sendable {
    /// A label was referenced but never bound.
    case unboundLabel(Label)
    /// `bind(_:)` was called twice for the same label.
    case labelAlreadyBound(Label)
    /// The label was not created by this assembler (or was created before a `reset`).
    case unknownLabel(Label)
    /// A rel32 jump, call or RIP-relative operand at `offset` cannot reach the absolute `target`
    /// from the code's final address (more than ±2 GiB away).
    case targetOutOfRange(offset: Int, target: UInt)
    /// A jump at `offset` asked for a one-byte displacement but its label is more than -128...127 bytes away.
    case shortBranchOutOfRange(offset: Int, label: Label)
    /// rsp was used as an index register in the memory operand of the instruction at `offset`.
    case invalidIndexRegister(offset: Int)
    /// An alignment request that is not a power of two between 1 and 4096.
    case invalidAlignment(Int)
    /// A request for more than 4096 bytes of no-ops.
    case invalidPadding(Int)
}
