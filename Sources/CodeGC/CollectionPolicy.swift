/// When to collect and what to evict.
///
/// - The region is full: collect, then retry the allocation once; if it still fails, count
///   `region_full_count` and answer nil ("stop compiling, keep interpreting"), never crash. After such a
///   futile collection the next region-full one waits until it could decide differently: the activity
///   clock would tick, or `maximumFullCollectionSpacing` more allocations failed.
/// - Allocated pages reach `occupancyThreshold` of the region: collect before allocating (then not again
///   until the region has grown by `thresholdGrowth` of its free pages, so a mostly live region does not
///   collect at every allocation).
/// - Eviction only ever follows a collection that left live code at or above `evictionHighWater`: garbage
///   alone is always tried first. Then the coldest owners (entry counter unchanged for the longest, and
///   for at least `coldCollections` collections) are invalidated until their code brings the estimate
///   down to `evictionLowWater`, and the region is collected again. Owners with a frame in their code are
///   never evicted (their pages stay pinned anyway). Coldness is measured on an `ActivityClock` that ticks
///   only once compiled code was entered (or allocations failed) about once per owner since its last tick,
///   not per collection, so a burst of collections does not make a working set still in use look cold. The gap between
///   the two marks and the coldness requirement are the collector's hysteresis: owners entered since the
///   last tick are never evicted. The rest is the client's: evicted owners are reported (``CodeGCRoots/codeGC(_:didEvict:)``)
///   so it can keep them interpreted until they earn recompilation; otherwise a cyclic working set larger
///   than the region recompiles and evicts forever.
public struct CollectionPolicy: Sendable, Equatable {
    /// Collect at all (false: `--no-code-gc`; allocation failures just count `region_full_count`).
    public var collects: Bool
    /// Fraction of pages allocated at which an allocation collects first (nil: only when full).
    public var occupancyThreshold: Double?
    /// After an occupancy-triggered collection, the fraction of the then-free pages that must be allocated
    /// before the threshold can trigger again.
    public var thresholdGrowth: Double
    /// Evict at all.
    public var evicts: Bool
    /// Live fraction after a collection at or above which cold owners are evicted.
    public var evictionHighWater: Double
    /// Live fraction eviction aims for.
    public var evictionLowWater: Double
    /// Activity-clock ticks an owner's entry counter must have stood still to count as cold.
    public var coldCollections: Int
    /// Failed allocations after a futile region-full collection at which the next one runs even if the
    /// activity clock would not tick.
    public var maximumFullCollectionSpacing: Int

    /// Defaults: collect when full or at 90%, evict above 95% down to 75%, cold after 2 ticks; after a
    /// futile region-full collection, collect again when the clock would tick or after 1,024 failures.
    public init(
        collects: Bool = true, occupancyThreshold: Double? = 0.9, thresholdGrowth: Double = 0.5,
        evicts: Bool = true, evictionHighWater: Double = 0.95, evictionLowWater: Double = 0.75,
        coldCollections: Int = 2, maximumFullCollectionSpacing: Int = 1024
    ) {
        self.collects = collects
        self.occupancyThreshold = occupancyThreshold
        self.thresholdGrowth = thresholdGrowth
        self.evicts = evicts
        self.evictionHighWater = evictionHighWater
        self.evictionLowWater = evictionLowWater
        self.coldCollections = coldCollections
        self.maximumFullCollectionSpacing = maximumFullCollectionSpacing
    }
}

extension CodeGC {
    /// Allocates a page for writing, collecting first when the policy says so, and retrying once after a
    /// collection when the region is full. The page is held for the writer (never freed) until
    /// ``releasePage(_:)``. Returns nil when no page can be had: stop compiling.
    public func allocatePage() throws(CodeGCError) -> Int? {
        let policy = configuration.policy
        if isCollecting {
            if let page = takePage() { return page }
            statistics.regionFullCount += 1
            return nil
        }
        if policy.collects, let threshold = policy.occupancyThreshold {
            let total = Double(store.pageTable.pageCount)
            let growth = Int(Double(store.pageTable.pageCount - liveAfterLastCollection) * policy.thresholdGrowth)
            if Double(allocatedPages) >= threshold * total && allocatedPages >= liveAfterLastCollection + max(1, growth) {
                try collect(reason: .occupancy)
            }
        }
        if let page = takePage() {
            fullCollectionPacing.allocationSucceeded()
            return page
        }
        // The clock ticks after about one failure or entry per owner: looking every owners/64 failures
        // keeps that sum's cost per failure constant and delays a collection by under 2% of a tick.
        if policy.collects && fullCollectionPacing.mayCollect(
            maximumSpacing: policy.maximumFullCollectionSpacing, checkInterval: store.owners.slotCount / 64,
            clockWouldTick: activityClockWouldTick) {
            try collect(reason: .regionFull)
            if let page = takePage() {
                fullCollectionPacing.allocationSucceeded()
                return page
            }
            fullCollectionPacing.collectionWasFutile()
        }
        statistics.regionFullCount += 1
        return nil
    }

    private func takePage() -> Int? {
        guard let page = space.allocateCodePage() else { return nil }
        precondition(page >= 0 && page < store.pageTable.pageCount && !store.pageTable.pages[page].isAllocated,
                     "the code space handed out a page it had not freed")
        store.pageTable.pages[page].isAllocated = true
        store.pageTable.pages[page].writerHolds = 1
        store.pageTable.pages[page].entries = []
        allocatedPages += 1
        return page
    }

    /// Adds a writer hold on an allocated page (a page being written, or a partially used page the client
    /// will bump-allocate into again): held pages are never freed.
    public func holdPage(_ page: Int) throws(CodeGCError) {
        guard page >= 0, page < store.pageTable.pageCount, store.pageTable.pages[page].isAllocated else { throw .invalidPage(page) }
        store.pageTable.pages[page].writerHolds += 1
    }

    /// Drops a writer hold (the one ``allocatePage()`` gave, or one from ``holdPage(_:)``); the page then
    /// lives only as long as code on it is reachable.
    public func releasePage(_ page: Int) throws(CodeGCError) {
        guard page >= 0, page < store.pageTable.pageCount, store.pageTable.pages[page].isAllocated,
              store.pageTable.pages[page].writerHolds > 0 else { throw .invalidPage(page) }
        store.pageTable.pages[page].writerHolds -= 1
    }

    /// Entries into owners' code since the last collection, and the number of owners.
    func entriesSinceLastCollection() -> (entries: UInt64, owners: Int) {
        var entries: UInt64 = 0
        var owners = 0
        for slot in 0..<store.owners.slotCount where store.owners.isOccupied(slot) {
            owners += 1
            entries &+= counters.pointer(store.owners[slot: slot].counterSlot).pointee &- store.owners[slot: slot].lastSeenCount
        }
        return (entries, owners)
    }

    /// Whether a collection now would tick the activity clock.
    func activityClockWouldTick() -> Bool {
        let (entries, owners) = entriesSinceLastCollection()
        return activityClock.wouldTick(newEntries: entries, failures: statistics.regionFullCount, ownerCount: owners)
    }

    /// Notes which owners were entered since the last collection (their counters moved), after advancing
    /// the activity clock by the entries counted.
    func updateOwnerActivity() {
        let (entries, owners) = entriesSinceLastCollection()
        activityClock.note(entries: entries, failures: statistics.regionFullCount, ownerCount: owners)
        let now = activityClock.now
        for slot in 0..<store.owners.slotCount where store.owners.isOccupied(slot) {
            let count = counters.pointer(store.owners[slot: slot].counterSlot).pointee
            if count != store.owners[slot: slot].lastSeenCount {
                store.owners[slot: slot].lastSeenCount = count
                store.owners[slot: slot].lastActiveCollection = now
            }
        }
    }

    /// Evicts cold owners when live code alone overflows the high-water mark; returns them.
    func evictIfOverflowing(reason: CollectionReason) throws(CodeGCError) -> [CodeOwnerID] {
        let policy = configuration.policy
        let total = store.pageTable.pageCount
        guard policy.evicts, codeFactory != nil, reason != .requested,
              Double(allocatedPages) >= policy.evictionHighWater * Double(total) else { return [] }
        let collection = activityClock.now
        let running = ownersWithFrames()
        // Cold owners without frames first: while everything runs there are none, and a collection then
        // costs no pass over the blocks (it cost one, with a dictionary of every owner, at each collection).
        var candidateSlots: [Int] = []
        for slot in 0..<store.owners.slotCount where store.owners.isOccupied(slot) {
            let owner = store.owners[slot: slot]
            if collection - owner.lastActiveCollection >= policy.coldCollections, owner.blockCount > 0,
               !running.contains(owner.id) {
                candidateSlots.append(slot)
            }
        }
        guard !candidateSlots.isEmpty else { return [] }
        // One pass over the blocks gathers each candidate's live blocks and code bytes (what evicting it
        // frees); looking them up per evicted owner was a pass over every block each.
        var candidateOf = [Int](repeating: -1, count: store.owners.slotCount)
        for (candidate, slot) in candidateSlots.enumerated() { candidateOf[slot] = candidate }
        var codeBytes = [Int](repeating: 0, count: candidateSlots.count)
        var blocks = [[BlockID]](repeating: [], count: candidateSlots.count)
        for slot in 0..<store.blocks.slotCount {
            guard let handle = store.blocks.handle(atSlot: slot), store.blocks[handle].state == .live,
                  let ownerSlot = store.owners.slot(of: store.blocks[handle].owner) else { continue }
            let candidate = candidateOf[ownerSlot]
            guard candidate >= 0 else { continue }
            codeBytes[candidate] += store.blocks[handle].ranges.reduce(0) { $0 + Int($1.upperBound - $1.lowerBound) }
            blocks[candidate].append(BlockID(handle))
        }
        let lastActive = candidateSlots.map { store.owners[slot: $0].lastActiveCollection }
        let order = candidateSlots.indices
            .filter { codeBytes[$0] > 0 }
            .sorted { (lastActive[$0], -codeBytes[$0], $0) < (lastActive[$1], -codeBytes[$1], $1) }
        let target = Int(policy.evictionLowWater * Double(total))
        var bytesToFree = (allocatedPages - target) * store.pageTable.pageSize
        var evicted: [CodeOwnerID] = []
        for candidate in order where bytesToFree > 0 {
            try invalidateAll(blocks[candidate])
            evicted.append(store.owners[slot: candidateSlots[candidate]].id)
            bytesToFree -= codeBytes[candidate]
        }
        return evicted
    }

    /// Owners with a frame in their code at the collection that just ran (a `jit_return` or a native return
    /// address): evicting one frees nothing now (its frames pin its pages) and makes the frame finish in
    /// the interpreter, so a long-running caller such as a loop over many methods is never evicted.
    func ownersWithFrames() -> Set<CodeOwnerID> {
        var running = Set<CodeOwnerID>()
        func note(_ address: UInt) {
            store.pageTable.forEachObject(containing: address) { object in
                switch object {
                case .block(let block), .reference(let block):
                    if store.blocks.contains(block.handle) { running.insert(store.blocks[block.handle].owner) }
                case .stub: break
                }
            }
        }
        for address in rootSet.jitReturns { note(address) }
        for address in rootSet.nativeReturns { note(address - 1) }
        return running
    }

    /// Invalidates every block of `owner` (entries removed, branches into it repointed to stubs, return
    /// points patched): its code goes at the next collection that finds no frame in it.
    public func evict(_ owner: CodeOwnerID) throws(CodeGCError) {
        try invalidateAll(liveBlocks(of: owner))
        flushEntryNotifications()
    }

    /// Live blocks of `owner`.
    func liveBlocks(of owner: CodeOwnerID) -> [BlockID] {
        var victims: [BlockID] = []
        for slot in 0..<store.blocks.slotCount {
            guard let handle = store.blocks.handle(atSlot: slot), store.blocks[handle].owner == owner,
                  store.blocks[handle].state == .live else { continue }
            victims.append(BlockID(handle))
        }
        return victims
    }
}
