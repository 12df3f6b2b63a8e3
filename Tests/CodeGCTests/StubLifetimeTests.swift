import Testing
@testable import CodeGC

@Suite("Stub and branch lifetimes")
struct StubLifetimeTests {
    struct Setup {
        var harness = FakeHarness()
        var source: BlockID
        var branch: BranchID
        var stub: StubID
        var stubCode: Range<UInt>
        var codePage, stubPage: Int

        init() throws {
            codePage = try harness.newPage()
            stubPage = try harness.newPage()
            source = try harness.block(1, on: codePage)
            let jump = try #require(harness.gc.entryAddress(of: source)) + 30
            branch = try harness.gc.addBranch(from: source, targets: [BranchTargetSpec(jumpAddress: jump, key: 77)])
            let code = harness.take(32, on: stubPage)
            stubCode = code
            stub = try harness.gc.addStub(for: branch, target: 0) { _ in code }
            try harness.gc.setEntry(source)
            harness.useFactory(on: try harness.newPage())
        }
    }

    @Test func firstHitAsksToCompileWithTheTargetKey() throws {
        let setup = try Setup()
        let hit = setup.harness.gc.stubHit(setup.stub)
        #expect(hit == .compile(StubRequest(
            branch: setup.branch, targetIndex: 0, key: 77, sourceBlock: setup.source, owner: CodeOwnerID(1))))
        #expect(setup.harness.space.jumps[try #require(setup.harness.gc.entryAddress(of: setup.source)) + 30]
                == setup.stubCode.lowerBound)
    }

    @Test func secondThreadSeesTheTargetAlreadyLinked() throws {
        var setup = try Setup()
        let compiled = try setup.harness.block(1, on: setup.codePage)
        try setup.harness.gc.linkBranch(setup.branch, target: 0, to: compiled)
        #expect(setup.harness.gc.stubHit(setup.stub) == .resolved(compiled))
    }

    /// The seed's race: B waits in the stub handler while A invalidates the branch's block and collects.
    @Test func waitingThreadFindsBranchInvalidatedNeverFreedMemory() throws {
        let setup = try Setup()
        let gc = setup.harness.gc
        try gc.invalidate(setup.source)
        // B's stack holds the return address into the stub (the stub called the handler).
        setup.harness.roots.jitReturns = []
        let words = UnsafeMutablePointer<UInt>.allocate(capacity: 1)
        defer { words.deallocate() }
        words.pointee = setup.stubCode.lowerBound + 12
        setup.harness.roots.stackRanges = [UInt(bitPattern: words)..<(UInt(bitPattern: words) + 8)]
        try gc.collect()

        #expect(!gc.contains(setup.source))          // source block's metadata freed
        #expect(gc.contains(setup.stub))             // stub kept: its page is pinned by B's stack
        #expect(gc.info(setup.branch)?.state == .orphaned)  // branch kept: the stub refers to it
        #expect(gc.stubHit(setup.stub) == .branchInvalidated(key: 77))
        #expect(throws: CodeGCError.branchNotLive(setup.branch)) {
            try gc.linkBranch(setup.branch, target: 0, toAddress: setup.stubCode.lowerBound)
        }

        // B left the handler: the stub page, the stub and the branch go together.
        setup.harness.roots.stackRanges = []
        try gc.collect()
        #expect(setup.harness.space.freed.contains(setup.stubPage))
        #expect(!gc.contains(setup.stub) && !gc.contains(setup.branch))
        #expect(gc.stubHit(setup.stub) == .stale)
    }

    @Test func stubOfAnInvalidatedButStillPinnedBlockReportsInvalidation() throws {
        let setup = try Setup()
        try setup.harness.gc.invalidate(setup.source)
        #expect(setup.harness.gc.info(setup.branch)?.state == .invalidated)
        #expect(setup.harness.gc.stubHit(setup.stub) == .branchInvalidated(key: 77))
    }

    @Test func reinvalidatedTargetMakesTheOlderStubStale() throws {
        var setup = try Setup()
        let gc = setup.harness.gc
        let compiled = try setup.harness.block(1, on: setup.codePage)
        try gc.linkBranch(setup.branch, target: 0, to: compiled)
        try gc.invalidate(compiled)
        let newStub = try #require(setup.harness.gc.info(setup.branch).flatMap { info -> StubID? in
            if case .stub(let id) = info.destinations[0] { return id }
            return nil
        })
        #expect(newStub != setup.stub)
        #expect(gc.stubHit(setup.stub) == .branchInvalidated(key: 77))
        guard case .compile = gc.stubHit(newStub) else {
            Issue.record("the new stub should ask to compile")
            return
        }
    }
}
