import Glibc

/// Options fixed when a ``CodeGC`` is created.
public struct CodeGCConfiguration: Sendable {
    /// When to collect and what to evict.
    public var policy: CollectionPolicy
    /// Walk the collecting thread's own native stack as a root (on by default; tests on fake memory
    /// turn it off).
    public var walksCurrentThread: Bool
    /// How native stacks are walked.
    public var stackWalk: StackWalkMode

    /// The defaults: ``CollectionPolicy/init()``, current thread walked with the fast precise walk.
    public init(policy: CollectionPolicy = .init(), walksCurrentThread: Bool = true, stackWalk: StackWalkMode = .precise) {
        self.policy = policy
        self.walksCurrentThread = walksCurrentThread
        self.stackWalk = stackWalk
    }
}

/// A guest-agnostic collector of machine code: it records which compiled blocks exist, how they branch
/// to each other and to stubs, which client owner each belongs to and which blocks are entry points, and
/// frees exactly the pages no root can reach, without ever letting a frame return into freed code.
///
/// ## How a JIT uses it
/// 1. ``allocatePage()`` (collects and retries when the region is full; nil means stop compiling) and
///    hold the pages being written (``releasePage(_:)`` when moving on). Wrap each compilation in
///    ``beginCompilation()`` / ``endCompilation()`` so blocks not yet linked are not collected.
/// 2. After writing a block's code: ``addBlock(owner:key:ranges:)``, ``addBranch(from:targets:)`` for
///    each branch, ``addStub(for:target:generate:)`` or ``linkBranch(_:target:to:)`` per target,
///    ``addReference(_:range:)`` for side exits, ``addReturnPoint(_:_:)`` after calls that may re-enter
///    the VM, ``setEntry(_:)`` for entry blocks. Bump ``entryCounter(for:)`` on each entry.
/// 3. A stub's handler calls ``stubHit(_:)``, compiles, and links the branch.
/// 4. ``invalidate(_:)`` makes a block not entrant; its code stays until no frame can return into it.
/// 5. ``collect(reason:)`` (or the policy) marks from entries, `jit_return`s and native stacks
///    (``CodeGCRoots``) and frees the rest.
///
/// Not thread-safe: the client serializes every call (its VM lock) and stops other threads that run JIT
/// code before collecting or invalidating.
public final class CodeGC: @unchecked Sendable {
    /// The memory collected.
    public let space: any CodePageSpace
    /// Options given at creation (the policy may be changed later).
    public var configuration: CodeGCConfiguration
    /// Supplies roots and receives notifications; held weakly.
    public weak var roots: (any CodeGCRoots)?
    /// Generates stubs and exits during invalidation; held weakly.
    public weak var codeFactory: (any InvalidationCodeFactory)?

    /// Every table of the graph, in one struct so marking runs as mutating methods on it (no dynamic
    /// exclusivity checks per access, as class properties would need).
    ///
    /// Not checked for exclusive access at run time: every call is serialized by the client (see above),
    /// and the dynamic checks cost a few percent of every compilation and sweep.
    @exclusivity(unchecked) var store: GraphStore
    let counters = EntryCounters()
    // The bookkeeping below is touched by every registration, invalidation and allocation; like `store`,
    // unchecked (calls are serialized by the client).
    @exclusivity(unchecked) var compilationDepth = 0

    @exclusivity(unchecked) var statistics = CodeGCStats()
    /// Reused root buffers.
    var rootSet = CodeGCRootSet()
    var stackWalker: StackWalker
    /// Entry removals not yet reported to the client.
    @exclusivity(unchecked) var pendingEntryRemovals: [(BlockID, CodeOwnerID)] = []
    /// Policy state: allocations since the last collection, and the last collection's live pages.
    @exclusivity(unchecked) var liveAfterLastCollection = 0
    @exclusivity(unchecked) var allocatedPages = 0
    /// Eviction policy state: its clock, and the pacing of collections that cannot make room.
    var activityClock = ActivityClock()
    var fullCollectionPacing = FullCollectionPacing()
    /// Set while a collection runs: allocations made then (e.g. exits generated during eviction) never
    /// start another collection.
    @exclusivity(unchecked) var isCollecting = false
    /// Set by a collection: ``CodeGCStats/metadataBytes`` must be measured again before it is reported.
    @exclusivity(unchecked) var metadataBytesStale = false
    /// Record each collection's stack roots in its report (``CollectionReport/stackRoots``): for tests
    /// that compare what the collector pinned with ground truth, and for diagnostics. Off by default.
    public var recordsStackRoots = false
    /// Called at the end of every collection, whoever started it, with its report (tests, diagnostics).
    public var collectionObserver: ((CollectionReport) -> Void)?
    /// The stack-root record being filled by the running collection.
    var stackRootLog = StackRootRecord()

    /// Creates a collector for `space`, whose pages must all be free (unallocated) now.
    public init(space: any CodePageSpace, configuration: CodeGCConfiguration = .init()) {
        self.space = space
        self.configuration = configuration
        self.store = GraphStore(pageTable: PageTable(base: space.executableBase, pageSize: space.pageSize, pageCount: space.pageCount))
        let low = space.executableBase
        self.stackWalker = StackWalker(region: low..<(low + UInt(space.pageCount * space.pageSize)))
    }

    deinit { store.deallocateDenseState() }

    /// Current counters. ``CodeGCStats/metadataBytes`` is measured here (O(live blocks)) when a collection
    /// changed it since the last read, so collections do not pay for it in their pause. Read while a
    /// collection runs (from its client's callbacks or ``collectionObserver``) it is the value from before
    /// that collection: measuring it there would lengthen the pause by as much as marking.
    public var stats: CodeGCStats {
        if metadataBytesStale && !isCollecting { measureMetadataBytes() }
        var snapshot = statistics
        snapshot.livePageCount = allocatedPages
        snapshot.freePageCount = store.pageTable.pageCount - allocatedPages
        snapshot.blockCount = store.blocks.count
        snapshot.branchCount = store.branches.count
        snapshot.stubCount = store.stubs.count
        return snapshot
    }

    /// Collections finished so far (``CodeGCStats/codeGCCount``), without measuring anything.
    public var collectionCount: Int { statistics.codeGCCount }

    /// Recomputes ``CodeGCStats/metadataBytes`` now (O(live metadata)) and returns it.
    @discardableResult
    public func measureMetadataBytes() -> Int {
        metadataBytesStale = false
        var blockBytes = 0
        for slot in 0..<store.blocks.slotCount {
            if let handle = store.blocks.handle(atSlot: slot) { blockBytes += store.blocks[handle].footprint }
        }
        return updateMetadataBytes(blockBytes: blockBytes)
    }

    /// Sets ``CodeGCStats/metadataBytes`` from the block records' bytes plus everything else, which is
    /// cheap to count: branch records never spill (at most two targets, inline), stub records are fixed size.
    @discardableResult
    func updateMetadataBytes(blockBytes: Int) -> Int {
        var total = blockBytes + counters.footprint
        total += store.branches.count * MemoryLayout<BranchRecord>.stride
        total += store.stubs.count * MemoryLayout<StubRecord>.stride
        total += (store.blocks.slotCount + store.branches.slotCount + store.stubs.slotCount) * 8  // generations, flags
        for page in store.pageTable.pages { total += page.entries.capacity * MemoryLayout<PageEntry>.stride }
        for slot in 0..<store.owners.slotCount where store.owners.isOccupied(slot) { total += store.owners[slot: slot].footprint }
        total += store.owners.footprint
        total += store.markNodes.footprint + store.branchEdgePositions.footprint + store.pageMarks.footprint
        total += store.entryBlocks.footprint
        total += store.keptUnfollowedBlocks.footprint + store.followedBlocks.footprint + store.worklist.footprint
        statistics.metadataBytes = total
        return total
    }

    /// CLOCK_MONOTONIC in nanoseconds (the clock pause times are measured with).
    public static func monotonicNanoseconds() -> UInt64 { now() }

    /// Monotonic nanoseconds.
    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
