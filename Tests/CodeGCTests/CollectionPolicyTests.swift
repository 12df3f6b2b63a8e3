import Testing
@testable import CodeGC

@Suite("Collection policy")
struct CollectionPolicyTests {
    @Test func fullRegionCollectsGarbageAndRetriesOnce() throws {
        var harness = FakeHarness(pageCount: 4)
        for _ in 0..<4 { _ = try harness.block(1, on: try harness.newPage()) }  // all unreachable
        let page = try harness.gc.allocatePage()
        #expect(page != nil)
        #expect(harness.gc.stats.codeGCCount == 1)
        #expect(harness.gc.stats.regionFullCount == 0)
    }

    @Test func liveRegionReportsFullInsteadOfCrashing() throws {
        var harness = FakeHarness(pageCount: 3, policy: CollectionPolicy(occupancyThreshold: nil, evicts: false))
        for _ in 0..<3 {
            let block = try harness.block(1, on: try harness.newPage())
            try harness.gc.setEntry(block)
        }
        #expect(try harness.gc.allocatePage() == nil)
        #expect(try harness.gc.allocatePage() == nil)
        #expect(harness.gc.stats.regionFullCount == 2)
        #expect(harness.gc.stats.freedPageCount == 0)
    }

    @Test func withoutCollectionFullRegionJustCounts() throws {
        var harness = FakeHarness(pageCount: 2, policy: CollectionPolicy(collects: false))
        _ = try harness.newPage()
        _ = try harness.newPage()
        #expect(try harness.gc.allocatePage() == nil)
        #expect(harness.gc.stats.codeGCCount == 0)
        #expect(harness.gc.stats.regionFullCount == 1)
    }

    @Test func pagesHeldByWritersAndBlocksOfOpenCompilationsSurvive() throws {
        var harness = FakeHarness()
        let held = try harness.newPage(hold: true)
        let open = try harness.newPage()
        harness.gc.beginCompilation()
        let fresh = try harness.block(1, on: open)
        try harness.gc.collect()
        #expect(harness.space.freed.isEmpty)
        #expect(harness.gc.contains(fresh))
        harness.gc.endCompilation()
        try harness.gc.releasePage(held)
        try harness.gc.collect()
        #expect(Set(harness.space.freed) == [held, open])
    }

    @Test func occupancyThresholdCollectsBeforeAllocating() throws {
        var harness = FakeHarness(pageCount: 10, policy: CollectionPolicy(occupancyThreshold: 0.5))
        for _ in 0..<5 { _ = try harness.block(1, on: try harness.newPage()) }
        #expect(harness.gc.stats.codeGCCount == 0)
        _ = try harness.gc.allocatePage()
        #expect(harness.gc.stats.codeGCCount == 1)
        #expect(harness.gc.stats.freedPageCount == 5)
    }

    @Test func evictsColdOwnersNotHotOnesWhenLiveCodeOverflows() throws {
        var harness = FakeHarness(
            pageCount: 8,
            policy: CollectionPolicy(occupancyThreshold: nil, evictionHighWater: 0.9, evictionLowWater: 0.75, coldCollections: 1))
        let blocks = try harness.fillWithOwnerPages(1...7)
        // Owners 1...3 are hot: entered since the last collection, often enough (9 entries for 7 owners) to
        // tick the activity clock.
        try harness.gc.collect()
        for owner in 1...3 { harness.gc.entryCounter(for: CodeOwnerID(UInt64(owner))).pointee += 3 }
        #expect(harness.gc.stats.evictedOwnerCount == 0)  // a requested collection never evicts

        let page = try harness.gc.allocatePage()
        #expect(page != nil)
        let evicted = Set(harness.roots.removedEntries.map(\.1))
        #expect(!evicted.isEmpty)
        #expect(evicted.isDisjoint(with: [CodeOwnerID(1), CodeOwnerID(2), CodeOwnerID(3)]))
        #expect(harness.gc.stats.evictedOwnerCount == evicted.count)
        for owner in 1...3 { #expect(harness.gc.contains(blocks[UInt64(owner)]!)) }
        // Just down to the low-water mark (6 of 8 pages), then the new page: the rest stays.
        #expect(evicted.count == 2)
        #expect(harness.gc.stats.livePageCount == 7)
    }

    /// Eviction gathers every cold owner's blocks in one pass over the block table: each evicted owner
    /// loses all its blocks, wherever they sit among other owners' blocks, and no other owner loses one.
    @Test func anEvictedOwnerLosesEveryBlockAndOnlyItsOwn() throws {
        var harness = FakeHarness(
            pageCount: 7,
            policy: CollectionPolicy(occupancyThreshold: nil, evictionHighWater: 0.9, evictionLowWater: 0.5, coldCollections: 1))
        harness.useFactory(on: try harness.newPage(hold: true))
        // Owners 1 (hot) and 2, 3 (cold) take turns: their blocks alternate in the table and share pages.
        var blocksOf: [UInt64: [BlockID]] = [:]
        for _ in 0..<6 {
            let page = try harness.newPage()
            for owner: UInt64 in 1...3 {
                let block = try harness.block(owner, on: page, size: 1024)
                try harness.gc.setEntry(block)  // each block an entry: only invalidating it makes it dead
                blocksOf[owner, default: []].append(block)
            }
        }
        try harness.gc.collect()
        harness.gc.entryCounter(for: CodeOwnerID(1)).pointee += 10
        // The region is full: the allocation collects and evicts (the pages stay, owner 1 lives on each).
        _ = try harness.gc.allocatePage()
        #expect(Set(harness.roots.ownersEvicted) == [CodeOwnerID(2), CodeOwnerID(3)])
        for block in blocksOf[1]! { #expect(harness.gc.info(block)?.state == .live) }
        for owner: UInt64 in 2...3 {
            for block in blocksOf[owner]! { #expect(harness.gc.info(block).map { $0.state != .live } ?? true) }
        }
    }

    @Test func ownersWithAFrameAreNeverEvictedAndTheEvictedOnesAreReported() throws {
        var harness = FakeHarness(
            pageCount: 8,
            policy: CollectionPolicy(occupancyThreshold: nil, evictionHighWater: 0.9, evictionLowWater: 0.5, coldCollections: 1))
        let blocks = try harness.fillWithOwnerPages(1...7)
        try harness.gc.collect()
        for owner in 3...7 { harness.gc.entryCounter(for: CodeOwnerID(UInt64(owner))).pointee += 2 }
        try harness.gc.collect()
        // Then only a newcomer runs (its code is not in the region: a counter the client bumps), enough to
        // tick the clock again. At the next collection owners 1...7 are cold and owners 1 and 2 are the
        // coldest, but they have a VM frame resuming in their code (a long-running caller entered rarely).
        harness.gc.entryCounter(for: CodeOwnerID(99)).pointee += 10
        for owner in 1...2 { harness.roots.jitReturns.append(harness.gc.info(blocks[UInt64(owner)]!)!.ranges[0].lowerBound + 8) }
        let page = try harness.gc.allocatePage()
        #expect(page != nil)
        let evicted = Set(harness.roots.removedEntries.map(\.1))
        // Down towards the low-water mark (4 of 8 pages) without touching the running owners.
        #expect(evicted.isDisjoint(with: [CodeOwnerID(1), CodeOwnerID(2)]))
        #expect(evicted.count == 4)
        for owner in 1...2 { #expect(harness.gc.contains(blocks[UInt64(owner)]!)) }
        // The client hears which owners were evicted (to delay their recompilation), after their entries went.
        #expect(Set(harness.roots.ownersEvicted) == evicted)
        #expect(harness.roots.ownersEvicted.count == evicted.count)
    }

    @Test func mostlyLiveRegionDoesNotCollectAtEveryAllocation() throws {
        var harness = FakeHarness(pageCount: 20, policy: CollectionPolicy(occupancyThreshold: 0.5, thresholdGrowth: 0.5))
        for _ in 0..<10 {
            let block = try harness.block(1, on: try harness.newPage())
            try harness.gc.setEntry(block)
        }
        // The 11th allocation finds 10 of 20 pages allocated (the threshold): it collects, freeing nothing.
        _ = try harness.newPage()
        #expect(harness.gc.stats.codeGCCount == 1)
        // 10 pages stayed live, so the next collection waits until half the then-free pages (5) are
        // allocated again, instead of collecting at every allocation.
        for _ in 0..<4 { _ = try harness.newPage() }
        #expect(harness.gc.stats.codeGCCount == 1)
        _ = try harness.newPage()
        #expect(harness.gc.stats.codeGCCount == 2)
        #expect(harness.gc.stats.freedPageCount == 5)  // the five empty pages allocated since
        _ = try harness.newPage()
        #expect(harness.gc.stats.codeGCCount == 2)
    }

    @Test func aBurstOfCollectionsDoesNotMakeAWorkingSetInUseLookCold() throws {
        var harness = FakeHarness(
            pageCount: 8,
            policy: CollectionPolicy(occupancyThreshold: nil, evictionHighWater: 0.9, evictionLowWater: 0.5, coldCollections: 2))
        try harness.fillWithOwnerPages(1...7)
        // Every owner is entered once per "round"; collections of the full region come several per round
        // (as when a client keeps compiling new code): each sees only a few entries.
        for _ in 0..<4 {
            for owner in 1...7 {
                harness.gc.entryCounter(for: CodeOwnerID(UInt64(owner))).pointee += 1
                if owner % 2 == 0 { try harness.gc.collect(reason: .regionFull) }
            }
        }
        #expect(harness.gc.stats.codeGCCount >= 12)
        #expect(harness.gc.stats.evictedOwnerCount == 0)
        #expect(harness.roots.removedEntries.isEmpty)
        // Once the working set changes (only owner 7 keeps running), the others turn cold and go.
        for _ in 0..<3 {
            harness.gc.entryCounter(for: CodeOwnerID(7)).pointee += 10
            try harness.gc.collect(reason: .regionFull)
        }
        let evicted = Set(harness.roots.removedEntries.map(\.1))
        #expect(!evicted.isEmpty && !evicted.contains(CodeOwnerID(7)))
    }

    @Test func collectionsOfAFullRegionThatFreeNothingWaitUntilTheyCouldDecideDifferently() throws {
        var harness = FakeHarness(
            pageCount: 3, policy: CollectionPolicy(occupancyThreshold: nil, evicts: false, maximumFullCollectionSpacing: 100))
        var blocks: [BlockID] = []
        for owner in 1...3 {
            let block = try harness.block(UInt64(owner), on: try harness.newPage())
            try harness.gc.setEntry(block)
            blocks.append(block)
        }
        func attempt() throws -> Bool {
            let before = harness.gc.stats.codeGCCount
            #expect(try harness.gc.allocatePage() == nil)
            return harness.gc.stats.codeGCCount > before
        }
        // The first failure collects. Nothing is entered, so the next collection waits for as many failed
        // allocations (code waiting for room) as there are owners: the activity clock's tick.
        var collectedAt: [Int] = []
        for number in 1...9 {
            if try attempt() { collectedAt.append(number) }
        }
        #expect(collectedAt == [1, 4, 7])
        #expect(harness.gc.stats.regionFullCount == 9)
        // Entries into compiled code are activity too: a tick's worth allows a collection at once.
        for owner in 1...3 { harness.gc.entryCounter(for: CodeOwnerID(UInt64(owner))).pointee += 1 }
        #expect(try attempt())
        #expect(try !attempt())
        // Garbage appears: within a tick's worth of failures a collection frees it and the allocation succeeds.
        try harness.gc.invalidate(blocks[0])
        var page: Int?
        for _ in 0..<3 where page == nil { page = try harness.gc.allocatePage() }
        #expect(page != nil)
        #expect(harness.gc.stats.freedPageCount == 1)
    }
}

extension FakeHarness {
    /// A held stub page, then one full page per owner holding that owner's entry block: the region the
    /// eviction tests start from. Returns each owner's block.
    @discardableResult
    mutating func fillWithOwnerPages(_ owners: ClosedRange<UInt64>) throws -> [UInt64: BlockID] {
        useFactory(on: try newPage(hold: true))
        var blocks: [UInt64: BlockID] = [:]
        for owner in owners {
            let block = try self.block(owner, on: try newPage(), size: 4096)
            try gc.setEntry(block)
            blocks[owner] = block
        }
        return blocks
    }
}
