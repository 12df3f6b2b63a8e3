import Testing
@testable import CodeGC

@Suite("Stack roots on fake pages")
struct StackRootTests {
    /// Caller (entry, page 0) -> callee block (page 1) with a return point; callee -> next (page 2).
    struct Frame {
        var harness = FakeHarness()
        var callee, next: BlockID
        var point: ReturnPoint
        var calleePage, nextPage, exitPage: Int

        init() throws {
            calleePage = try harness.newPage()
            nextPage = try harness.newPage()
            exitPage = try harness.newPage()
            callee = try harness.block(1, on: calleePage, size: 128)
            next = try harness.block(1, on: nextPage)
            let start = try #require(harness.gc.entryAddress(of: callee))
            point = ReturnPoint(returnAddress: start + 40, jumpAddress: start + 40)
            try harness.gc.addReturnPoint(callee, point)
            try harness.branch(callee, to: next)
            try harness.gc.setEntry(callee)
            harness.useFactory(on: exitPage)
        }
    }

    @Test func returnAddressIntoInvalidatedBlockKeepsItsPageUntilTheFrameIsGone() throws {
        let frame = try Frame()
        let gc = frame.harness.gc
        try gc.invalidate(frame.callee)
        frame.harness.roots.stackRanges = []
        frame.harness.roots.jitReturns = [frame.point.returnAddress]

        let first = try gc.collect()
        #expect(!frame.harness.space.freed.contains(frame.calleePage))
        #expect(!frame.harness.space.freed.contains(frame.exitPage))  // the return point's exit
        // Returning at the patched point leaves through the exit: the block's branches are not followed.
        #expect(frame.harness.space.freed == [frame.nextPage])
        #expect(first.pinnedPages == 2)
        #expect(gc.stats.pinnedPageCount == 2)

        frame.harness.roots.jitReturns = []
        try gc.collect()
        #expect(Set(frame.harness.space.freed) == [frame.nextPage, frame.calleePage, frame.exitPage])
        #expect(!gc.contains(frame.callee))
    }

    @Test func invalidationPatchesReturnPointsToClientExits() throws {
        let frame = try Frame()
        try frame.harness.gc.invalidate(frame.callee)
        let exits = try #require(frame.harness.gc.info(frame.callee)).references
        #expect(exits.count == 1)
        #expect(frame.harness.space.jumps[frame.point.jumpAddress] == exits[0].lowerBound)
        #expect(frame.harness.gc.info(frame.callee)?.returnPoints.first?.isPatched == true)
    }

    @Test func unpatchedReturnIntoInvalidatedBlockKeepsWhatItStillReaches() throws {
        let frame = try Frame()
        let gc = frame.harness.gc
        try gc.invalidate(frame.callee)
        // A return address that is not a registered return point: the block may still run its branches.
        frame.harness.roots.jitReturns = [frame.point.returnAddress + 20]
        try gc.collect()
        #expect(frame.harness.space.freed.isEmpty)
        #expect(gc.contains(frame.next))
    }

    @Test func pinnedPagesCountOnlyPagesNoGraphRootKeeps() throws {
        let frame = try Frame()
        frame.harness.roots.jitReturns = [frame.point.returnAddress]
        let report = try frame.harness.gc.collect()
        #expect(report.pinnedPages == 0)  // the callee is an entry anyway
        #expect(frame.harness.space.freed == [frame.exitPage])
    }

    @Test func conservativeStackRangeCountsAndPins() throws {
        var harness = FakeHarness()
        let page = try harness.newPage()
        let block = try harness.block(1, on: page)
        let address = try #require(harness.gc.entryAddress(of: block)) + 17
        let words = UnsafeMutablePointer<UInt>.allocate(capacity: 4)
        defer { words.deallocate() }
        words.initialize(repeating: 0, count: 4)
        words[2] = address
        let range = UInt(bitPattern: words)..<(UInt(bitPattern: words) + 32)
        harness.roots.stackRanges = [range]
        let report = try harness.gc.collect()
        #expect(report.conservativeStacks == 1 && report.preciseStacks == 0)
        #expect(harness.gc.contains(block))
        #expect(harness.gc.stats.conservativeStackCount == 1)

        words[2] = 0
        try harness.gc.collect()
        #expect(!harness.gc.contains(block))
        #expect(harness.space.freed == [page])
    }
}
