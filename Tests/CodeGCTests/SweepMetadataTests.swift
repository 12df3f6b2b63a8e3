import Testing
@testable import CodeGC

@Suite("Sweeping frees metadata")
struct SweepMetadataTests {
    @Test func metadataBytesFallWhenCodeIsFreed() throws {
        var harness = FakeHarness(pageCount: 64)
        let gc = harness.gc
        var entries: [BlockID] = []
        for owner in 0..<20 {
            let page = try harness.newPage()
            let stubPage = try harness.newPage()
            let head = try harness.block(UInt64(owner), on: page)
            var previous = head
            for _ in 0..<10 {
                let next = try harness.block(UInt64(owner), on: page)
                try harness.branch(previous, to: next)
                previous = next
            }
            let last = try gc.addBranch(
                from: previous, targets: [BranchTargetSpec(jumpAddress: try #require(gc.entryAddress(of: previous)) + 8, key: 1)])
            let stubCode = harness.take(32, on: stubPage)
            try gc.addStub(for: last, target: 0) { _ in stubCode }
            try gc.setEntry(head)
            entries.append(head)
        }
        try gc.collect()
        let before = gc.stats
        #expect(before.blockCount == 220 && before.branchCount == 220 && before.stubCount == 20)

        for owner in 0..<10 { gc.removeEntries(of: CodeOwnerID(UInt64(owner))) }
        let report = try gc.collect()
        let after = gc.stats
        #expect(report.freedPages == 20)
        #expect(after.blockCount == 110 && after.branchCount == 110 && after.stubCount == 10)
        #expect(after.metadataBytes < before.metadataBytes)
        #expect(after.freedCodeSize == 20 * harness.space.pageSize)
    }

    /// Observers number collections from `stats` (jitstack's inspector did, in every pause): reading it
    /// inside a collection must not measure metadata, O(live blocks), which cost as much as marking.
    @Test func statsReadDuringACollectionLeaveMetadataToTheNextReadAfterIt() throws {
        var harness = FakeHarness(pageCount: 16)
        let gc = harness.gc
        var heads: [BlockID] = []
        for owner in 0..<4 {
            let page = try harness.newPage()
            let head = try harness.block(UInt64(owner), on: page)
            try harness.branch(head, to: try harness.block(UInt64(owner), on: page))
            try gc.setEntry(head)
            heads.append(head)
        }
        let before = gc.measureMetadataBytes()
        var readInside: [(count: Int, metadataBytes: Int, stale: Bool)] = []
        gc.collectionObserver = { _ in
            let stats = gc.stats
            readInside.append((gc.collectionCount, stats.metadataBytes, gc.metadataBytesStale))
        }
        for owner in 0..<2 { gc.removeEntries(of: CodeOwnerID(UInt64(owner))) }
        let report = try gc.collect()
        #expect(report.freedPages == 2)
        #expect(readInside.count == 1)
        #expect(readInside.first?.count == 1)
        #expect(readInside.first?.metadataBytes == before)  // the value from before this collection
        #expect(readInside.first?.stale == true)  // nothing was measured inside the pause
        #expect(gc.stats.metadataBytes < before)  // the first read after it measures
        #expect(!gc.metadataBytesStale)
    }

    @Test func deadBlocksOnLivePagesLoseMetadataAndBytes() throws {
        var harness = FakeHarness()
        let page = try harness.newPage()
        let live = try harness.block(1, on: page)
        let dead = try harness.block(2, on: page)
        let deadRange = try #require(harness.gc.info(dead)).ranges[0]
        try harness.gc.setEntry(live)
        try harness.gc.collect()
        #expect(harness.space.freed.isEmpty)
        #expect(!harness.gc.contains(dead))
        #expect(harness.space.poisoned == [deadRange])
        #expect(harness.gc.contains(live))
    }

    @Test func branchFromDeadBlockIntoLiveBlockIsUnlinked() throws {
        var harness = FakeHarness()
        let page = try harness.newPage()
        let live = try harness.block(1, on: page)
        let dead = try harness.block(2, on: page)
        let branch = try harness.branch(dead, to: live)
        try harness.gc.setEntry(live)
        #expect(harness.gc.info(live)?.incoming == [branch])
        try harness.gc.collect()
        #expect(!harness.gc.contains(branch))
        #expect(harness.gc.info(live)?.incoming == [])
        // Invalidating the live block later must not try to patch the freed branch.
        harness.useFactory(on: try harness.newPage())
        try harness.gc.invalidate(live)
        #expect(harness.factory?.stubsMade.isEmpty == true)
    }
}
