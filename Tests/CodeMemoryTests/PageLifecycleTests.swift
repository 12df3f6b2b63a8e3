import CodeMemory
import Testing

@Suite("Pages are committed on demand, freed to INT3 and reused")
struct PageLifecycleTests {
    @Test("A fresh page reads as INT3 in both halves", arguments: WXStrategy.allCases)
    func freshPageIsInt3(strategy: WXStrategy) throws {
        let region = try makeRegion(strategy: strategy)
        let page = try region.allocatePage()
        let bytes = try region.bytes(at: region.baseAddress(of: page), count: region.pageSize)
        #expect(bytes.count == region.pageSize)
        #expect(bytes.allSatisfy { $0 == 0xCC })
        try expectNoWritableExecutableMapping()
    }

    @Test("A freed page reads back as INT3 and is the next page handed out", arguments: WXStrategy.allCases)
    func freedPageIsInt3AndReused(strategy: WXStrategy) throws {
        let region = try makeRegion(strategy: strategy)
        let first = try region.allocatePage()
        let second = try region.allocatePage()
        let entry = try region.emit(MachineCode.returnConstant(7), in: .inline, of: first)
        _ = try region.emit([0x90, 0x90, 0xC3], in: .outlined, of: first)
        #expect(function(at: entry, as: NoArgumentFunction.self)() == 7)

        try region.freePage(first)
        #expect(region.state(of: first) == .free)
        let freed = try region.bytes(at: region.baseAddress(of: first), count: region.pageSize)
        #expect(freed.allSatisfy { $0 == 0xCC })
        #expect(region.used(.inline, of: first) == 0)
        try expectNoWritableExecutableMapping()

        let reused = try region.allocatePage()
        #expect(reused == first)
        #expect(reused != second)
        #expect(region.used(.inline, of: reused) == 0 && region.used(.outlined, of: reused) == 0)
        let fresh = try region.bytes(at: region.baseAddress(of: reused), count: region.pageSize)
        #expect(fresh.allSatisfy { $0 == 0xCC })
        let again = try region.emit(MachineCode.returnConstant(8), in: .inline, of: reused)
        #expect(again == entry)
        #expect(function(at: again, as: NoArgumentFunction.self)() == 8)
        try expectNoWritableExecutableMapping()
    }

    @Test("Freeing a page returns its memory to the OS", arguments: WXStrategy.allCases)
    func freeingReturnsMemory(strategy: WXStrategy) throws {
        let region = try makeRegion(strategy: strategy)
        let pages = try (0..<8).map { _ throws in try region.allocatePage() }
        let withEight = region.stats.residentBytes
        for page in pages.prefix(6) { try region.freePage(page) }
        let withTwo = region.stats.residentBytes
        #expect(withEight - withTwo == 6 * region.pageSize)
        try expectNoWritableExecutableMapping()
    }

    @Test("Stats count pages and bytes per half")
    func statsCountPagesAndHalves() throws {
        let region = try makeRegion(regionSize: 8 * 16384, pageSize: 16384)
        let start = region.stats
        #expect(start.regionSize == 8 * 16384 && start.pageSize == 16384)
        #expect(start.livePageCount == 0 && start.freePageCount == 0 && start.uncommittedPageCount == 8)
        #expect(start.committedBytes == 0)

        let a = try region.allocatePage()
        let b = try region.allocatePage()
        _ = try region.allocate(100, in: .inline, of: a)
        _ = try region.allocate(10, alignment: 64, in: .inline, of: a)  // 28 bytes of padding
        _ = try region.allocate(30, in: .outlined, of: b)
        try region.freePage(b)

        let stats = region.stats
        #expect(stats.livePageCount == 1 && stats.freePageCount == 1 && stats.uncommittedPageCount == 6)
        #expect(stats.committedBytes == 16384)
        #expect(stats.inlineBytesUsed == 138)
        #expect(stats.outlinedBytesUsed == 0)
        #expect(region.pages(in: .live) == [a] && region.pages(in: .free) == [b])
        var visited: [PageState] = []
        region.forEachPage { _, state in visited.append(state) }
        #expect(visited == [.live, .free] + Array(repeating: .uncommitted, count: 6))
    }

    @Test("Using a freed or never-allocated page is a typed error")
    func notLivePagesAreRejected() throws {
        let region = try makeRegion()
        let page = try region.allocatePage()
        try region.freePage(page)
        #expect(throws: CodeMemoryError.pageNotLive(page)) { try region.freePage(page) }
        #expect(throws: CodeMemoryError.pageNotLive(page)) { try region.allocate(1, in: .inline, of: page) }
        #expect(throws: CodeMemoryError.pageNotLive(PageIndex(5))) { try region.allocate(1, in: .inline, of: PageIndex(5)) }
        #expect(throws: CodeMemoryError.pageNotLive(PageIndex(-1))) { try region.freePage(PageIndex(-1)) }
        #expect(throws: CodeMemoryError.notAllocatedCode(address: region.baseAddress(of: PageIndex(5)), count: 4)) {
            try region.bytes(at: region.baseAddress(of: PageIndex(5)), count: 4)
        }
    }
}
