import Testing
@testable import CodeGC

/// A code space that only records what the collector asks of it: pages handed out and freed, INT3 fills,
/// jump retargets. Nothing here is executed, so addresses are made up.
final class FakePageSpace: CodePageSpace {
    let executableBase: UInt = 0x7100_0000_0000
    let pageSize: Int
    let pageCount: Int
    private(set) var live: Set<Int> = []
    private(set) var freed: [Int] = []
    private(set) var poisoned: [Range<UInt>] = []
    /// Current target of every retargeted jump.
    private(set) var jumps: [UInt: UInt] = [:]

    init(pageSize: Int = 4096, pageCount: Int = 16) {
        self.pageSize = pageSize
        self.pageCount = pageCount
    }

    func start(of page: Int) -> UInt { executableBase + UInt(page * pageSize) }

    func allocateCodePage() -> Int? {
        guard let page = (0..<pageCount).first(where: { !live.contains($0) }) else { return nil }
        live.insert(page)
        return page
    }

    func freeCodePage(_ page: Int) throws(CodeGCError) {
        guard live.remove(page) != nil else { throw .invalidPage(page) }
        freed.append(page)
    }

    func poisonCode(_ range: Range<UInt>) throws(CodeGCError) { poisoned.append(range) }

    func retargetJump(at jumpAddress: UInt, to target: UInt) throws(CodeGCError) { jumps[jumpAddress] = target }
}

/// Generates stubs and exits at a bump pointer inside a page the test chose, counting calls.
final class FakeCodeFactory: InvalidationCodeFactory {
    var cursor: UInt
    var limit: UInt
    private(set) var stubsMade: [StubRequest] = []
    private(set) var exitsMade: [(BlockID, ReturnPoint)] = []

    init(range: Range<UInt>) {
        cursor = range.lowerBound
        limit = range.upperBound
    }

    private func take(_ size: UInt) -> Range<UInt>? {
        guard cursor + size <= limit else { return nil }
        defer { cursor += size }
        return cursor..<(cursor + size)
    }

    func makeStub(_ stub: StubID, for request: StubRequest) -> Range<UInt>? {
        stubsMade.append(request)
        return take(32)
    }

    func makeReturnExit(for block: BlockID, owner: CodeOwnerID, at point: ReturnPoint) -> Range<UInt>? {
        exitsMade.append((block, point))
        return take(16)
    }
}

/// Roots supplied by a test, and the notifications received.
final class FakeRoots: CodeGCRoots {
    var jitReturns: [UInt] = []
    var stackRanges: [Range<UInt>] = []
    private(set) var removedEntries: [(BlockID, CodeOwnerID)] = []
    private(set) var ownersFreed: [CodeOwnerID] = []

    func addRoots(to roots: inout CodeGCRootSet) {
        for address in jitReturns { roots.addJITReturn(address) }
        for range in stackRanges { roots.addStackRange(range) }
    }

    func codeGC(_ collector: CodeGC, didRemoveEntry block: BlockID, of owner: CodeOwnerID) {
        removedEntries.append((block, owner))
    }

    func codeGC(_ collector: CodeGC, didFreeAllCodeOf owners: [CodeOwnerID]) { ownersFreed += owners }
    private(set) var ownersEvicted: [CodeOwnerID] = []
    func codeGC(_ collector: CodeGC, didEvict owners: [CodeOwnerID]) { ownersEvicted += owners }
}

/// A collector over a fake space, with helpers that lay blocks out on chosen pages.
struct FakeHarness {
    let space: FakePageSpace
    let gc: CodeGC
    let roots = FakeRoots()
    var factory: FakeCodeFactory?
    /// Pages handed out so far, by the order the test asked for them.
    private(set) var pages: [Int] = []
    /// Next free byte per page.
    private var cursors: [Int: UInt] = [:]

    init(pageCount: Int = 16, policy: CollectionPolicy = CollectionPolicy(occupancyThreshold: nil)) {
        space = FakePageSpace(pageCount: pageCount)
        gc = CodeGC(space: space, configuration: CodeGCConfiguration(policy: policy, walksCurrentThread: false))
        gc.roots = roots
    }

    /// Allocates a page and releases the writer hold right away (unless `hold`).
    mutating func newPage(hold: Bool = false) throws -> Int {
        let page = try #require(try gc.allocatePage())
        if !hold { try gc.releasePage(page) }
        pages.append(page)
        cursors[page] = space.start(of: page)
        return page
    }

    /// Takes `size` bytes on `page`.
    mutating func take(_ size: UInt, on page: Int) -> Range<UInt> {
        let start = cursors[page]!
        cursors[page] = start + size
        return start..<(start + size)
    }

    /// A block of `size` bytes on `page`, with the jump of a one-target branch at its end (not registered).
    mutating func block(_ owner: UInt64, on page: Int, size: UInt = 64) throws -> BlockID {
        try gc.addBlock(owner: CodeOwnerID(owner), ranges: [take(size, on: page)])
    }

    /// Registers a one-target branch from `source` (jump at the source's last 8 bytes) linked to `target`.
    @discardableResult
    func branch(_ source: BlockID, to target: BlockID, key: UInt64 = 0) throws -> BranchID {
        let end = try #require(gc.info(source)).ranges.last!.upperBound
        let branch = try gc.addBranch(from: source, targets: [BranchTargetSpec(jumpAddress: end - 8, key: key)])
        try gc.linkBranch(branch, target: 0, to: target)
        return branch
    }

    /// Uses `page` for invalidation stubs and exits.
    mutating func useFactory(on page: Int) {
        let start = space.start(of: page)
        factory = FakeCodeFactory(range: start..<(start + UInt(space.pageSize)))
        gc.codeFactory = factory
    }
}
