import Testing
@testable import CodeGC

@Suite("Address to block lookup")
struct AddressLookupTests {
    @Test func findsTheBlockContainingEveryByteAndNothingInGaps() throws {
        var harness = FakeHarness()
        let page = try harness.newPage()
        var blocks: [(BlockID, Range<UInt>)] = []
        // Registered out of address order, with 8-byte gaps, to exercise the sorted insert.
        var ranges: [Range<UInt>] = []
        for _ in 0..<40 {
            ranges.append(harness.take(24, on: page))
            _ = harness.take(8, on: page)
        }
        for range in ranges.reversed() {
            blocks.append((try harness.gc.addBlock(owner: CodeOwnerID(1), ranges: [range]), range))
        }
        for (block, range) in blocks {
            #expect(harness.gc.block(containing: range.lowerBound) == block)
            #expect(harness.gc.block(containing: range.upperBound - 1) == block)
            #expect(harness.gc.block(containing: range.upperBound) == nil)  // the gap
        }
        #expect(harness.gc.block(containing: harness.space.executableBase - 1) == nil)
        #expect(harness.gc.page(of: ranges[3].lowerBound) == page)
    }

    @Test func distinguishesStubsBlocksAndSideExits() throws {
        var harness = FakeHarness()
        let page = try harness.newPage()
        let block = try harness.block(1, on: page)
        let exit = harness.take(16, on: page)
        try harness.gc.addReference(block, range: exit)
        let branch = try harness.gc.addBranch(
            from: block, targets: [BranchTargetSpec(jumpAddress: try #require(harness.gc.entryAddress(of: block)) + 40, key: 0)])
        let stubCode = harness.take(32, on: page)
        let stub = try harness.gc.addStub(for: branch, target: 0) { _ in stubCode }
        #expect(harness.gc.block(containing: exit.lowerBound) == nil)
        #expect(harness.gc.stub(containing: stubCode.lowerBound + 5) == stub)
        #expect(harness.gc.block(containing: stubCode.lowerBound + 5) == nil)
    }

    @Test func freedBlocksAreNoLongerFoundAndHandlesGoStale() throws {
        var harness = FakeHarness()
        let page = try harness.newPage()
        let block = try harness.block(1, on: page)
        let address = try #require(harness.gc.entryAddress(of: block))
        try harness.gc.collect()
        #expect(harness.gc.block(containing: address) == nil)
        #expect(!harness.gc.contains(block))
        // The slot is reused by the next block, but the old handle stays stale.
        let page2 = try harness.newPage()
        let reused = try harness.block(1, on: page2)
        #expect(reused.rawValue != block.rawValue)
        #expect(!harness.gc.contains(block))
        #expect(throws: CodeGCError.unknownBlock(block)) { try harness.gc.setEntry(block) }
    }

    @Test func rejectsRangesOutsideAllocatedPages() throws {
        var harness = FakeHarness()
        _ = try harness.newPage()
        let outside = harness.space.start(of: 9)..<(harness.space.start(of: 9) + 16)
        #expect(throws: CodeGCError.invalidRange(outside)) {
            try harness.gc.addBlock(owner: CodeOwnerID(1), ranges: [outside])
        }
        let empty = harness.space.executableBase..<harness.space.executableBase
        #expect(throws: CodeGCError.invalidRange(empty)) {
            try harness.gc.addBlock(owner: CodeOwnerID(1), ranges: [empty])
        }
    }
}
