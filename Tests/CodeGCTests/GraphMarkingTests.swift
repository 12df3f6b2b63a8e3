import Testing
@testable import CodeGC

@Suite("Graph marking")
struct GraphMarkingTests {
    /// The seed's A -> B -> C -> D, one block per page, A an entry; page 4 holds invalidation stubs.
    struct Chain {
        var harness = FakeHarness()
        var a, b, c, d: BlockID
        var pageA, pageB, pageC, pageD, stubPage: Int

        init() throws {
            pageA = try harness.newPage()
            pageB = try harness.newPage()
            pageC = try harness.newPage()
            pageD = try harness.newPage()
            stubPage = try harness.newPage()
            a = try harness.block(1, on: pageA)
            b = try harness.block(1, on: pageB)
            c = try harness.block(1, on: pageC)
            d = try harness.block(1, on: pageD)
            try harness.branch(a, to: b, key: 11)
            try harness.branch(b, to: c, key: 12)
            try harness.branch(c, to: d, key: 13)
            try harness.gc.setEntry(a)
            harness.useFactory(on: stubPage)
        }
    }

    @Test func reachableChainSurvivesCollection() throws {
        let chain = try Chain()
        let report = try chain.harness.gc.collect()
        #expect(report.freedPages == 1)  // only the still-empty stub page
        #expect(chain.harness.space.freed == [chain.stubPage])
        for block in [chain.a, chain.b, chain.c, chain.d] { #expect(chain.harness.gc.contains(block)) }
    }

    @Test func invalidatingBFreesCAndDButKeepsAAndItsNewStub() throws {
        let chain = try Chain()
        let gc = chain.harness.gc
        try gc.invalidate(chain.b)

        // A's branch now jumps to a fresh stub that carries B's key.
        let branchOfA = try #require(gc.info(chain.a)).outgoing[0]
        guard case .stub(let stub) = try #require(gc.info(branchOfA)).destinations[0] else {
            Issue.record("A's branch was not repointed to a stub")
            return
        }
        #expect(chain.harness.factory?.stubsMade.map(\.key) == [11])
        let stubRange = try #require(gc.range(of: stub))
        #expect(chain.harness.space.jumps[try #require(gc.info(chain.a)).ranges[0].upperBound - 8] == stubRange.lowerBound)

        try gc.collect()
        #expect(Set(chain.harness.space.freed) == [chain.pageB, chain.pageC, chain.pageD])
        #expect(gc.contains(chain.a))
        #expect(!gc.contains(chain.b) && !gc.contains(chain.c) && !gc.contains(chain.d))
        #expect(gc.contains(stub))
        #expect(gc.stats.livePageCount == 2)
    }

    @Test func blocksReachedOtherwiseSurviveInvalidationOfTheirPredecessor() throws {
        var chain = try Chain()
        let gc = chain.harness.gc
        // A second entry E -> C keeps C and D alive after B is invalidated.
        let pageE = try chain.harness.newPage()
        let e = try chain.harness.block(2, on: pageE)
        try chain.harness.branch(e, to: chain.c)
        try gc.setEntry(e)
        try gc.invalidate(chain.b)
        try gc.collect()
        #expect(chain.harness.space.freed == [chain.pageB])
        #expect(gc.contains(chain.c) && gc.contains(chain.d))
    }

    @Test func stubPageIsKeptOnlyWhileALiveBranchTargetsTheStub() throws {
        var harness = FakeHarness()
        let codePage = try harness.newPage()
        let stubPage = try harness.newPage()
        let a = try harness.block(1, on: codePage)
        let branch = try harness.gc.addBranch(
            from: a, targets: [BranchTargetSpec(jumpAddress: harness.space.start(of: codePage) + 56, key: 7)])
        let stubCode = harness.take(32, on: stubPage)
        let stub = try harness.gc.addStub(for: branch, target: 0) { _ in stubCode }
        try harness.gc.setEntry(a)

        try harness.gc.collect()
        #expect(harness.space.freed.isEmpty)
        #expect(harness.gc.contains(stub))

        harness.gc.removeEntries(of: CodeOwnerID(1))
        try harness.gc.collect()
        #expect(Set(harness.space.freed) == [codePage, stubPage])
        #expect(!harness.gc.contains(stub) && !harness.gc.contains(branch) && !harness.gc.contains(a))
    }

    @Test func blockSpanningTwoPagesKeepsBothAndFreesBothTogether() throws {
        var harness = FakeHarness()
        let first = try harness.newPage()
        let filler = try harness.newPage()
        let second = try harness.newPage()
        let ranges = [harness.take(128, on: first), harness.take(64, on: second)]
        let block = try harness.gc.addBlock(owner: CodeOwnerID(3), ranges: ranges)
        try harness.gc.setEntry(block)
        try harness.gc.collect()
        #expect(harness.space.freed == [filler])

        harness.gc.removeEntries(of: CodeOwnerID(3))
        try harness.gc.collect()
        #expect(Set(harness.space.freed) == [filler, first, second])
    }

    @Test func sideExitOnAnotherPageLivesAsLongAsItsBlock() throws {
        var harness = FakeHarness()
        let codePage = try harness.newPage()
        let exitPage = try harness.newPage()
        let block = try harness.block(4, on: codePage)
        try harness.gc.addReference(block, range: harness.take(24, on: exitPage))
        try harness.gc.setEntry(block)
        try harness.gc.collect()
        #expect(harness.space.freed.isEmpty)
        harness.gc.removeEntries(of: CodeOwnerID(4))
        try harness.gc.collect()
        #expect(Set(harness.space.freed) == [codePage, exitPage])
    }

    @Test func cycleWithoutRootsIsFreed() throws {
        var harness = FakeHarness()
        let page = try harness.newPage()
        let x = try harness.block(5, on: page)
        let y = try harness.block(5, on: page)
        try harness.branch(x, to: y)
        try harness.branch(y, to: x)
        try harness.gc.collect()
        #expect(harness.space.freed == [page])
        #expect(!harness.gc.contains(x) && !harness.gc.contains(y))
    }
}

@Suite("Invalidating everything")
struct InvalidateAllTests {
    @Test func discardAllNeedsNoStubsAndFreesEverythingNotOnAStack() throws {
        let chain = try GraphMarkingTests.Chain()
        let gc = chain.harness.gc
        let start = try #require(gc.entryAddress(of: chain.c))
        let point = ReturnPoint(returnAddress: start + 16, jumpAddress: start + 16)
        try gc.addReturnPoint(chain.c, point)
        try gc.invalidateAllBlocks()

        #expect(chain.harness.factory?.stubsMade.isEmpty == true)
        #expect(chain.harness.factory?.exitsMade.count == 1)
        #expect(chain.harness.roots.removedEntries.map(\.0) == [chain.a])
        for block in [chain.a, chain.b, chain.c, chain.d] { #expect(gc.info(block)?.state == .invalidated) }

        // A frame still returns into C (at its patched return point): C and its exit stay, the rest goes.
        chain.harness.roots.jitReturns = [point.returnAddress]
        try gc.collect()
        #expect(Set(chain.harness.space.freed) == [chain.pageA, chain.pageB, chain.pageD])
        chain.harness.roots.jitReturns = []
        try gc.collect()
        #expect(Set(chain.harness.space.freed) == [chain.pageA, chain.pageB, chain.pageC, chain.pageD, chain.stubPage])
        #expect(gc.stats.blockCount == 0 && gc.stats.branchCount == 0)
    }
}
