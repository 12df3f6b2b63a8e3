/// Generates the code invalidation needs: stubs for branches that jumped into an invalidated block, and
/// exits for its return points. Called synchronously by ``CodeGC/invalidate(_:)`` and by eviction inside
/// a collection; the client's code memory must be writable then.
public protocol InvalidationCodeFactory: AnyObject {
    /// Emits a stub for `request` that calls the client's stub handler with `stub.rawValue`, and returns its
    /// code range (inside the region, usually in an outlined half). Returns nil if there is no room: the
    /// branch's source block is then invalidated too, so nothing jumps into invalidated code.
    func makeStub(_ stub: StubID, for request: StubRequest) -> Range<UInt>?

    /// Emits an exit for a frame that will return into `block` at `point` (restoring the VM state there and
    /// leaving to the interpreter), and returns its code range. Returns nil if there is no room: the return
    /// point then stays unpatched and the collector keeps everything the block reaches while such a frame
    /// exists.
    func makeReturnExit(for block: BlockID, owner: CodeOwnerID, at point: ReturnPoint) -> Range<UInt>?
}
