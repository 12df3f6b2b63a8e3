/// Why a CodeGC operation was refused. Nothing in CodeGC traps on bad client input.
public enum CodeGCError: Error, Equatable, Sendable {
    /// The block's metadata was freed (or the handle never existed).
    case unknownBlock(BlockID)
    /// The branch's metadata was freed (or the handle never existed).
    case unknownBranch(BranchID)
    /// The stub's metadata was freed (or the handle never existed).
    case unknownStub(StubID)
    /// The operation needs a live block, and this one is invalidated.
    case blockInvalidated(BlockID)
    /// The operation needs a live branch (its source block is invalidated or freed).
    case branchNotLive(BranchID)
    /// A branch has one or two targets; this index does not exist.
    case noSuchTarget(BranchID, index: Int)
    /// A code range is empty, lies outside the region, or touches a page that is not allocated.
    case invalidRange(Range<UInt>)
    /// A branch must have one or two targets.
    case invalidTargetCount(Int)
    /// The block belongs to another owner.
    case ownerMismatch(BlockID, expected: CodeOwnerID)
    /// The client's code generator failed (stub, exit).
    case codeGenerationFailed(String)
    /// Invalidation needs an ``InvalidationCodeFactory`` and none is attached.
    case noCodeFactory
    /// The page index is outside the region or the page is not allocated.
    case invalidPage(Int)
    /// ``CodeGC/collect(reason:)`` was called while a collection runs (e.g. from a ``CodeGCRoots`` callback).
    case collectionInProgress
    /// The code memory refused an operation (message from CodeMemory).
    case memory(String)
}
