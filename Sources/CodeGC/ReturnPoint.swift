/// A place where a call made by a block returns, when the callee may re-enter the VM (and so may invalidate
/// the block or run a collection) before returning.
///
/// The client emits, right at `returnAddress` (after optional no-op padding), a patchable `jmp rel32` whose
/// first byte is at `jumpAddress` and which initially jumps to the instruction after it. Invalidating the
/// block retargets that jump to an exit the client generates, so a frame returning into the invalidated
/// block leaves it at once and never runs its stale branches.
public struct ReturnPoint: Sendable, Equatable {
    /// The return address pushed by the call (the byte after the `call` instruction).
    public var returnAddress: UInt
    /// Address of the patchable 5-byte `jmp` at (or just after padding at) `returnAddress`.
    public var jumpAddress: UInt
    /// Whether invalidation already retargeted the jump to an exit.
    public internal(set) var isPatched: Bool

    /// Describes a return point of not-yet-invalidated code.
    public init(returnAddress: UInt, jumpAddress: UInt) {
        self.returnAddress = returnAddress
        self.jumpAddress = jumpAddress
        self.isPatched = false
    }
}
