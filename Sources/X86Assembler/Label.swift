/// A position in the code being assembled, created by ``Assembler/newLabel()`` and placed by
/// ``Assembler/bind(_:)``.
///
/// Jumps, calls and RIP-relative operands may refer to a label before or after it is bound;
/// ``Assembler/finalize()`` resolves the references and reports a label that was used but never bound.
/// A label belongs to the assembler that created it, until that assembler is reset; using it anywhere
/// else is reported as ``AssemblerError/unknownLabel(_:)``.
public struct Label: Hashable, Sendable {
    /// Index into the creating assembler's label table.
    @usableFromInline let id: Int
    /// The ``Assembler/generation`` of the assembler (and reset) that created the label.
    @usableFromInline let generation: UInt32

    @inlinable init(id: Int, generation: UInt32) {
        self.id = id
        self.generation = generation
    }
}
