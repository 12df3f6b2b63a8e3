import Testing
@testable import CodeGC

/// Marking follows dense per-block nodes instead of the records; these tests prove it keeps exactly what
/// the records say is reachable: no more (stale edges into freed, reused slots) and no less (targets past
/// the node's room, stubs on two pages).
@Suite("Marking precision")
struct MarkingPrecisionTests {
    @Test func invalidatedBlockOnAStackNeverKeepsABlockThatReusedAFreedTargetSlot() throws {
        var chain = try GraphMarkingTests.Chain()
        let gc = chain.harness.gc
        let start = try #require(gc.entryAddress(of: chain.b))
        let point = ReturnPoint(returnAddress: start + 32, jumpAddress: start + 32)
        try gc.addReturnPoint(chain.b, point)
        try gc.invalidate(chain.b)

        // A frame returns into B at its patched return point: B stays but is not followed, so C and D go.
        chain.harness.roots.jitReturns = [point.returnAddress]
        try gc.collect()
        #expect(gc.contains(chain.b) && !gc.contains(chain.c) && !gc.contains(chain.d))
        #expect(gc.store.markNodeMismatches().isEmpty)

        // New unreachable blocks take C's and D's slots.
        let pageX = try chain.harness.newPage()
        let x = try chain.harness.block(9, on: pageX)
        let y = try chain.harness.block(9, on: pageX)
        #expect(Set([x.handle.index, y.handle.index]) == Set([chain.c.handle.index, chain.d.handle.index]))

        // Now a frame runs inside B's body (B is followed): its branch to C must not keep whoever has C's slot.
        chain.harness.roots.jitReturns = [start + 8]
        try gc.collect()
        #expect(gc.contains(chain.b))
        #expect(!gc.contains(x) && !gc.contains(y))
        #expect(chain.harness.space.freed.contains(pageX))
        #expect(gc.store.markNodeMismatches().isEmpty)
    }

    @Test func blockWithMoreTargetsThanItsNodeHoldsKeepsEveryTarget() throws {
        var harness = FakeHarness()
        let sourcePage = try harness.newPage()
        let a = try harness.block(1, on: sourcePage, size: 128)
        let targetPages = try (0..<3).map { _ in try harness.newPage() }
        let targets = try targetPages.map { try harness.block(2, on: $0) }
        let stubPage = try harness.newPage()
        let exitPage = try harness.newPage()
        let entry = try #require(harness.gc.entryAddress(of: a))
        func spec(_ offset: UInt) -> BranchTargetSpec { BranchTargetSpec(jumpAddress: entry + offset, key: UInt64(offset)) }

        // Positions 0 and 1 (blocks), 2 (stub), 3 (block), 4 (fixed exit): 2 on come from the records.
        let first = try harness.gc.addBranch(from: a, targets: [spec(8), spec(16)])
        try harness.gc.linkBranch(first, target: 0, to: targets[0])
        try harness.gc.linkBranch(first, target: 1, to: targets[1])
        let second = try harness.gc.addBranch(from: a, targets: [spec(24), spec(32)])
        let stubCode = harness.take(32, on: stubPage)
        let stub = try harness.gc.addStub(for: second, target: 0) { _ in stubCode }
        try harness.gc.linkBranch(second, target: 1, to: targets[2])
        let third = try harness.gc.addBranch(from: a, targets: [spec(40)])
        try harness.gc.linkBranch(third, target: 0, toAddress: harness.space.start(of: exitPage) + 64)
        try harness.gc.setEntry(a)
        #expect(harness.gc.store.markNodes[Int(a.handle.index)].edge2 == MarkEdge.fromRecords)

        try harness.gc.collect()
        #expect(harness.space.freed.isEmpty)
        #expect(targets.allSatisfy(harness.gc.contains) && harness.gc.contains(stub))

        // Position 3 now leaves the region: its block goes, everything else stays.
        try harness.gc.linkBranch(second, target: 1, toAddress: 0x1000)
        try harness.gc.collect()
        #expect(harness.space.freed == [targetPages[2]])
        #expect(!harness.gc.contains(targets[2]) && harness.gc.contains(targets[0]) && harness.gc.contains(stub))
        #expect(harness.gc.store.markNodeMismatches().isEmpty)
    }

    @Test func stubSpanningTwoPagesIsKeptWholeByItsLiveBranch() throws {
        var harness = FakeHarness()
        let codePage = try harness.newPage()
        let low = try harness.newPage()
        let high = try harness.newPage()
        try #require(high == low + 1)
        let a = try harness.block(1, on: codePage)
        let entry = try #require(harness.gc.entryAddress(of: a))
        let branch = try harness.gc.addBranch(from: a, targets: [BranchTargetSpec(jumpAddress: entry + 8, key: 1)])
        let boundary = harness.space.start(of: high)
        let stub = try harness.gc.addStub(for: branch, target: 0) { _ in (boundary - 16)..<(boundary + 16) }
        try harness.gc.setEntry(a)
        #expect(harness.gc.store.markNodes[Int(a.handle.index)].edge0 == MarkEdge.fromRecords)

        try harness.gc.collect()
        #expect(harness.space.freed.isEmpty && harness.gc.contains(stub))

        harness.gc.removeEntries(of: CodeOwnerID(1))
        try harness.gc.collect()
        #expect(Set(harness.space.freed) == [codePage, low, high])
        #expect(!harness.gc.contains(stub))
    }
}
