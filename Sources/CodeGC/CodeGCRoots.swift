/// The client's side of a collection: its roots, and the news of code it must stop entering.
///
/// ## Roots
/// Before marking, ``CodeGC/collect(reason:)`` calls ``addRoots(to:)``. The client adds
/// - every `jit_return` of every VM frame of every execution context (``CodeGCRootSet/addJITReturn(_:)``):
///   the address a frame resumes at in JIT code; it pins its block;
/// - every native stack other than the collecting thread's: a parked thread or a suspended fiber, as its
///   saved context plus stack bounds (``CodeGCRootSet/addSavedContext(_:stack:)``), walked precisely with
///   libunwind and scanned conservatively if the walk fails; or only as a range
///   (``CodeGCRootSet/addStackRange(_:)``), scanned conservatively.
/// The collecting thread's own stack is walked automatically (``CodeGCConfiguration/walksCurrentThread``).
/// Every other thread that may run JIT code must be stopped (parked at a safepoint) for the whole
/// collection; the client's lock serializes all CodeGC calls.
///
/// Entry points, live-owner roots, are registered on the collector itself (``CodeGC/setEntry(_:)``).
///
/// ## Notifications
/// ``codeGC(_:didRemoveEntry:of:)`` says an entry block stopped being entrant (invalidated, evicted): the
/// client must reset that owner's entry pointer so the next call compiles again or interprets.
/// ``codeGC(_:didFreeAllCodeOf:)`` says the last block of these owners was freed: drop their per-owner data
/// (their entry-counter pointers may be reused).
/// ``codeGC(_:didFreePages:)`` says which pages a collection freed (after the fact, once per collection;
/// ``CodeGCStats/codeGCCount`` already counts it): diagnostics (perf map, GDB JIT entries, crash reports)
/// forget or record the code that lived there.
///
/// Stub and branch lifetimes are described on ``StubID``.
public protocol CodeGCRoots: AnyObject {
    /// Adds the client's roots for the collection about to run.
    func addRoots(to roots: inout CodeGCRootSet)
    /// An entry block of `owner` is no longer entrant: stop jumping to its entry address.
    func codeGC(_ collector: CodeGC, didRemoveEntry block: BlockID, of owner: CodeOwnerID)
    /// Every block of these owners has been freed.
    func codeGC(_ collector: CodeGC, didFreeAllCodeOf owners: [CodeOwnerID])
    /// These pages (indices, address order) were freed by the collection that just ended.
    func codeGC(_ collector: CodeGC, didFreePages pages: [Int])
    /// The policy evicted these owners (live code alone overflowed the region; see ``CollectionPolicy``).
    /// Called after their ``codeGC(_:didRemoveEntry:of:)``. Compiling them again at once would only evict
    /// something else: the client should make them earn recompilation (e.g. a call count that grows with
    /// each eviction), which is the hysteresis that keeps a cyclic working set from thrashing.
    func codeGC(_ collector: CodeGC, didEvict owners: [CodeOwnerID])
}

extension CodeGCRoots {
    /// Default: no per-owner data to drop.
    public func codeGC(_ collector: CodeGC, didFreeAllCodeOf owners: [CodeOwnerID]) {}
    /// Default: nothing to record about freed pages.
    public func codeGC(_ collector: CodeGC, didFreePages pages: [Int]) {}
    /// Default: evicted owners may be compiled again at once.
    public func codeGC(_ collector: CodeGC, didEvict owners: [CodeOwnerID]) {}
}

/// A native stack the collector must walk (precisely when it has a saved context).
struct StackRoot {
    /// A `ucontext_t` saved by getcontext/swapcontext, or nil for a conservative-only range.
    var context: UnsafeMutableRawPointer?
    /// The stack's bounds [low, high): what a conservative scan reads.
    var stack: Range<UInt>
}

/// The roots the client hands to one collection. Buffers are reused from collection to collection.
public struct CodeGCRootSet {
    var jitReturns: [UInt] = []
    var stacks: [StackRoot] = []
    /// Return addresses into the region found on native stacks by this collection (the eviction policy
    /// never evicts an owner with a frame: its code would stay pinned anyway).
    var nativeReturns: [UInt] = []

    init() {}

    mutating func reset() {
        jitReturns.removeAll(keepingCapacity: true)
        stacks.removeAll(keepingCapacity: true)
        nativeReturns.removeAll(keepingCapacity: true)
    }

    /// A VM frame resumes JIT code at `address` (its `jit_return`): the block there is kept, and followed
    /// unless `address` is a return point already patched to an exit.
    public mutating func addJITReturn(_ address: UInt) { jitReturns.append(address) }

    /// A stopped native stack with its saved `ucontext_t` (getcontext/swapcontext): walked precisely,
    /// scanned conservatively over `stack` (from the context's stack pointer up) if the walk fails.
    /// `context` and the stack must stay valid and unchanged until the collection returns.
    public mutating func addSavedContext(_ context: UnsafeMutableRawPointer, stack: Range<UInt>) {
        stacks.append(StackRoot(context: context, stack: stack))
    }

    /// A stopped native stack known only by its live range [low, high): scanned conservatively (every
    /// 8-byte word that points into the region pins its page).
    public mutating func addStackRange(_ stack: Range<UInt>) {
        stacks.append(StackRoot(context: nil, stack: stack))
    }
}
