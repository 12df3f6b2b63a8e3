/// Counters of a ``CodeGC``: totals since creation, and state after the last collection.
public struct CodeGCStats: Sendable, Equatable {
    /// Collections run.
    public var codeGCCount = 0
    /// Pages allocated now.
    public var livePageCount = 0
    /// Pages not allocated now (free list and never used).
    public var freePageCount = 0
    /// Pages freed by all collections.
    public var freedPageCount = 0
    /// Bytes of pages freed by all collections.
    public var freedCodeSize = 0
    /// Pages kept at the last collection only by stack roots (native return addresses, `jit_return`s).
    public var pinnedPageCount = 0
    /// Native stacks walked precisely (all collections).
    public var preciseStackCount = 0
    /// Native stacks scanned conservatively because no precise walk was possible or it failed.
    public var conservativeStackCount = 0
    /// Owners whose code the policy evicted to make room.
    public var evictedOwnerCount = 0
    /// Page allocations refused because nothing could be freed ("stop compiling").
    public var regionFullCount = 0
    /// Bytes of live metadata (blocks, branches, stubs, page index, owners) after the last operation that
    /// measured it (``CodeGC/stats`` measures it again after a collection, outside the pause;
    /// ``CodeGC/measureMetadataBytes()`` refreshes it).
    public var metadataBytes = 0
    /// Duration of the last collection, in nanoseconds.
    public var gcPauseNsLast: UInt64 = 0
    /// Longest collection, in nanoseconds.
    public var gcPauseNsMax: UInt64 = 0
    /// Last collection: time spent walking and scanning native stacks (ns).
    public var stackWalkNsLast: UInt64 = 0
    /// Last collection: time spent marking from roots (ns, stack walks excluded).
    public var markNsLast: UInt64 = 0
    /// Last collection: time spent sweeping (ns).
    public var sweepNsLast: UInt64 = 0
    /// Live blocks (live or invalidated) with metadata.
    public var blockCount = 0
    /// Branch records.
    public var branchCount = 0
    /// Stub records.
    public var stubCount = 0

    /// The counters under the names a client exposes (`code_gc_count`, ...), in a stable order.
    public var namedValues: [(name: String, value: Int)] {
        [
            ("code_gc_count", codeGCCount), ("live_page_count", livePageCount),
            ("free_page_count", freePageCount), ("freed_page_count", freedPageCount),
            ("freed_code_size", freedCodeSize), ("pinned_page_count", pinnedPageCount),
            ("precise_stack_count", preciseStackCount), ("conservative_stack_count", conservativeStackCount),
            ("evicted_iseq_count", evictedOwnerCount), ("region_full_count", regionFullCount),
            ("metadata_bytes", metadataBytes), ("gc_pause_ns_last", Int(gcPauseNsLast)),
            ("gc_pause_ns_max", Int(gcPauseNsMax)), ("gc_stack_walk_ns_last", Int(stackWalkNsLast)),
            ("gc_mark_ns_last", Int(markNsLast)), ("gc_sweep_ns_last", Int(sweepNsLast)),
            ("block_count", blockCount), ("branch_count", branchCount), ("stub_count", stubCount),
        ]
    }
}
