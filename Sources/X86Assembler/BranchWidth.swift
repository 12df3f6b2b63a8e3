/// The displacement size of a jump to a ``Label``.
public enum BranchWidth: Sendable {
    /// rel8 for a backward jump whose target is provably within reach, rel32 otherwise
    /// (a forward jump's distance is unknown when it is emitted).
    case automatic
    /// Always rel8; ``Assembler/finalize()`` reports ``AssemblerError/shortBranchOutOfRange(offset:label:)``
    /// if the label ends up farther than -128...127 bytes.
    case short
    /// Always rel32.
    case near
}
