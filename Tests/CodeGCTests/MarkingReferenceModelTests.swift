import Testing
@testable import CodeGC
import TestSupport

/// Random graphs (blocks with up to six branch targets, stubs, fixed exits, entries, return points,
/// invalidations, removed entries, `jit_return` roots, slot reuse across collections), each collection
/// compared with a marker written from the public snapshots alone (``CodeGC/info(_:)-(BlockID)``): the
/// collector must keep exactly the blocks and pages that marker finds reachable.
@Suite("Marking against a reference model")
struct MarkingReferenceModelTests {

    /// Builds code on pages with room, taking fresh ones as needed.
    struct Builder {
        var harness: FakeHarness
        var random: SplitMix64
        var used: [Int: Int] = [:]
        var blocks: [BlockID] = []
        let blockSize = 64

        /// `size` bytes on some allocated page with room.
        mutating func take(_ size: Int) throws -> Range<UInt> {
            let open = used.keys.sorted().filter { harness.space.live.contains($0) && used[$0]! + size <= harness.space.pageSize }
            if let page = open.randomElement(using: &random), Int.random(in: 0..<8, using: &random) > 0 {
                used[page]! += size
                return harness.take(UInt(size), on: page)
            }
            let page = try harness.newPage()
            used[page] = size
            return harness.take(UInt(size), on: page)
        }

        mutating func liveBlock() -> BlockID? {
            blocks.filter { harness.gc.isLive($0) }.randomElement(using: &random)
        }

        /// A block with 0 to 3 branches of 1 or 2 targets, each linked to a live block, a stub, a fixed
        /// address (in or out of the region) or left unlinked; sometimes a return point or an entry.
        mutating func addBlock() throws {
            let gc = harness.gc
            let range = try take(blockSize)
            let block = try gc.addBlock(owner: CodeOwnerID(UInt64.random(in: 1...6, using: &random)), ranges: [range])
            blocks.append(block)
            if Bool.random(using: &random) {
                try gc.addReturnPoint(block, ReturnPoint(returnAddress: range.lowerBound + 48, jumpAddress: range.lowerBound + 48))
            }
            var jump = range.lowerBound + 8
            for _ in 0..<Int.random(in: 0...3, using: &random) {
                let count = Int.random(in: 1...2, using: &random)
                let specs = (0..<count).map { _ -> BranchTargetSpec in
                    defer { jump += 6 }
                    return BranchTargetSpec(jumpAddress: jump, key: UInt64(jump))
                }
                let branch = try gc.addBranch(from: block, targets: specs)
                for index in 0..<count {
                    switch Int.random(in: 0..<6, using: &random) {
                    case 0, 1, 2:
                        if let target = liveBlock() { try gc.linkBranch(branch, target: index, to: target) }
                    case 3:
                        let code = try take(32)
                        try gc.addStub(for: branch, target: index) { _ in code }
                    case 4:
                        let page = try #require(harness.space.live.sorted().randomElement(using: &random))
                        try gc.linkBranch(branch, target: index, toAddress: harness.space.start(of: page) + 1024)
                    default:
                        try gc.linkBranch(branch, target: index, toAddress: 0x10_0000)
                    }
                }
            }
            if Int.random(in: 0..<8, using: &random) == 0 { try gc.setEntry(block) }
        }
    }

    /// What a collection with `roots` must keep, worked out from the public snapshots.
    static func expectedSurvivors(of harness: FakeHarness, blocks: [BlockID], roots: [UInt], heldPages: Set<Int>)
        -> (blocks: Set<BlockID>, pages: Set<Int>)
    {
        let gc = harness.gc
        var kept = Set<BlockID>()
        var followed = Set<BlockID>()
        var pages = heldPages
        var queue: [BlockID] = []
        func keepPages(of range: Range<UInt>) {
            guard let first = gc.page(of: range.lowerBound), let last = gc.page(of: range.upperBound - 1) else { return }
            pages.formUnion(first...last)
        }
        func keep(_ block: BlockID, follow: Bool) {
            guard let info = gc.info(block) else { return }
            if kept.insert(block).inserted { (info.ranges + info.references).forEach(keepPages) }
            if follow && followed.insert(block).inserted { queue.append(block) }
        }
        for block in blocks where gc.info(block)?.isEntry == true { keep(block, follow: true) }
        for address in roots {
            if let page = gc.page(of: address) { pages.insert(page) }
            guard let block = gc.block(containing: address), let info = gc.info(block) else { continue }
            let patched = info.state == .invalidated && info.returnPoints.contains { $0.isPatched && $0.returnAddress == address }
            keep(block, follow: !patched)
        }
        while let block = queue.popLast() {
            for branch in gc.info(block)?.outgoing ?? [] {
                for destination in gc.info(branch)?.destinations ?? [] {
                    switch destination {
                    case .block(let target): keep(target, follow: true)
                    case .stub(let stub): if let range = gc.range(of: stub) { keepPages(of: range) }
                    case .address(let address): if let page = gc.page(of: address) { pages.insert(page) }
                    case .unlinked: break
                    }
                }
            }
        }
        return (kept, pages.intersection(harness.space.live))
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func collectorKeepsExactlyWhatTheRecordsMakeReachable(seed: UInt64) throws {
        var harness = FakeHarness(pageCount: 256, policy: CollectionPolicy(occupancyThreshold: nil, evicts: false))
        // Exits and invalidation stubs go to four held pages (never freed).
        let held = try (0..<4).map { _ in try harness.newPage(hold: true) }
        try #require(held == Array(held[0]...held[3]))
        let factory = FakeCodeFactory(range: harness.space.start(of: held[0])..<harness.space.start(of: held[3] + 1))
        harness.factory = factory
        harness.gc.codeFactory = factory
        var builder = Builder(harness: harness, random: SplitMix64(seed: seed))
        let gc = harness.gc

        for round in 0..<12 {
            for _ in 0..<40 { try builder.addBlock() }
            for _ in 0..<3 {
                if let victim = builder.liveBlock() { try gc.invalidate(victim) }
            }
            if Int.random(in: 0..<3, using: &builder.random) == 0 {
                gc.removeEntries(of: CodeOwnerID(UInt64.random(in: 1...6, using: &builder.random)))
            }
            // Frames inside blocks' bodies, or at their (possibly patched) return points.
            // Invalidated blocks at patched return points are kept without being followed: their edges
            // into blocks that die must not outlive them.
            let invalidated = builder.blocks.filter { gc.info($0).map { $0.state == .invalidated && !$0.returnPoints.isEmpty } ?? false }
            let rooted = builder.blocks.filter(gc.contains).shuffled(using: &builder.random).prefix(3)
                + invalidated.shuffled(using: &builder.random).prefix(3)
            harness.roots.jitReturns = rooted.compactMap { block -> UInt? in
                guard let info = gc.info(block) else { return nil }
                if let point = info.returnPoints.first, Bool.random(using: &builder.random) { return point.returnAddress }
                return info.ranges[0].lowerBound + 4
            }
            #expect(gc.store.markNodeMismatches().isEmpty, "round \(round) before collecting")

            let expected = Self.expectedSurvivors(
                of: harness, blocks: builder.blocks, roots: harness.roots.jitReturns, heldPages: Set(held))
            let liveBefore = harness.space.live
            try gc.collect()
            let survivors = Set(builder.blocks.filter(gc.contains))
            #expect(survivors == expected.blocks, "seed \(seed) round \(round): blocks kept")
            #expect(harness.space.live == expected.pages, "seed \(seed) round \(round): pages kept")
            #expect(liveBefore.subtracting(harness.space.live) == liveBefore.subtracting(expected.pages))
            #expect(gc.store.markNodeMismatches().isEmpty, "round \(round) after collecting")
            builder.blocks = builder.blocks.filter(gc.contains)
        }
    }
}
