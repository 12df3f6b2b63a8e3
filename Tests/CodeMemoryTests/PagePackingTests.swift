import CodeMemory
import Testing

/// Pages used to have two fixed halves: code with few side exits filled the inline half and left the
/// outlined half mostly empty (a 4 KiB page of a long method held ~1.9 KiB inline and ~0.2 KiB outlined).
@Suite("Pages divide between inline and outlined code as the code written needs")
struct PagePackingTests {
    static let pageSize = 4096

    /// Writes like a compiler that checks room before each instruction: `inline` and `outlined` bytes per
    /// instruction, a new page when either part has less than one instruction's worth left; every
    /// `blockLength` instructions a block ends and the next one asks `makeRoom` for its first instruction.
    static func fill(_ region: CodeRegion, instructions: Int, inline: Int, outlined: Int, blockLength: Int) throws -> [PageIndex] {
        var pages = [try region.allocatePage()]
        for index in 0..<instructions {
            var page = pages[pages.count - 1]
            let fits = region.remaining(.inline, of: page) >= inline && region.remaining(.outlined, of: page) >= outlined
            let blockStart = index % blockLength == 0
            if !fits && !(blockStart && region.makeRoom(inline: inline, outlined: outlined, in: page)) {
                page = try region.allocatePage()
                pages.append(page)
            }
            _ = try region.emit([UInt8](repeating: 0x90, count: inline), in: .inline, of: page)
            _ = try region.emit([UInt8](repeating: 0x90, count: outlined), in: .outlined, of: page)
        }
        return pages
    }

    /// A region for `fill`, whose writer keeps one instruction's bytes free (at most 100 outlined): that
    /// is all the headroom its windows need.
    static func region(pages: Int) throws -> CodeRegion {
        try CodeRegion(CodeRegionConfiguration(
            regionSize: pages * pageSize, pageSize: pageSize, registersWithUnwinder: false, outlinedHeadroom: 32))
    }

    static func fill(_ region: CodeRegion) -> Double {
        let stats = region.stats
        return Double(stats.inlineBytesUsed + stats.outlinedBytesUsed) / Double(stats.livePageCount * stats.pageSize)
    }

    @Test("A fresh page's outlined window follows the share of outlined code written recently")
    func freshWindowFollowsTheRecentShare() throws {
        let region = try makeRegion(regionSize: 64 * Self.pageSize, pageSize: Self.pageSize)
        // Before anything is written the estimate is a typical share.
        #expect(region.recentOutlinedShare == 0.25)
        for _ in 0..<40 {
            let page = try region.allocatePage()
            _ = try region.emit([UInt8](repeating: 0x90, count: 900), in: .inline, of: page)
            _ = try region.emit([UInt8](repeating: 0x90, count: 100), in: .outlined, of: page)
        }
        #expect(abs(region.recentOutlinedShare - 0.1) < 0.01)
        let page = try region.allocatePage()
        let window = region.range(of: .outlined, in: page)
        let headroom = region.configuration.outlinedHeadroom
        #expect(window.upperBound == region.baseAddress(of: page) + UInt(Self.pageSize))
        #expect(Int(window.upperBound - window.lowerBound) <= Self.pageSize / 10 + headroom + 32)
        #expect(region.remaining(.inline, of: page) >= Self.pageSize - Self.pageSize / 10 - headroom - 32)
        #expect(region.range(of: .inline, in: page).upperBound == window.lowerBound)
    }

    @Test("Code with few side exits fills 4 KiB pages to at least 90%")
    func longMethodCodeFillsPages() throws {
        let region = try Self.region(pages: 256)
        // One long block of sends (the round-robin driver): ~10% outlined.
        let pages = try Self.fill(region, instructions: 2000, inline: 180, outlined: 20, blockLength: 2000)
        #expect(pages.count >= 90)
        #expect(Self.fill(region) >= 0.9, "\(region.stats)")
    }

    @Test("Tiny methods with more outlined than inline code, written after a long one, fill pages to 90%")
    func tinyMethodsAfterALongOneFillPages() throws {
        let region = try Self.region(pages: 512)
        // The long driver first (its share is what fresh pages start from), then the callees.
        _ = try Self.fill(region, instructions: 1000, inline: 180, outlined: 20, blockLength: 1000)
        let before = region.stats
        let pages = try Self.fill(region, instructions: 4000, inline: 60, outlined: 100, blockLength: 3)
        let after = region.stats
        let used = after.inlineBytesUsed + after.outlinedBytesUsed - before.inlineBytesUsed - before.outlinedBytesUsed
        #expect(Double(used) / Double(pages.count * Self.pageSize) >= 0.9, "\(after)")
    }

    @Test("A full outlined window is followed by one carved below it; code in both runs", arguments: WXStrategy.allCases)
    func fullWindowIsFollowedByANewOne(strategy: WXStrategy) throws {
        let region = try makeRegion(regionSize: 4 * Self.pageSize, pageSize: Self.pageSize, strategy: strategy)
        let page = try region.allocatePage()
        let first = region.range(of: .outlined, in: page)
        var outlinedEntries: [UInt] = []
        while region.remaining(.outlined, of: page) >= 6 {
            outlinedEntries.append(try region.emit(MachineCode.returnConstant(UInt32(outlinedEntries.count)), in: .outlined, of: page))
        }
        let inlineEntry = try region.emit(MachineCode.returnConstant(1000), in: .inline, of: page)
        let usedBefore = region.used(.outlined, of: page)

        #expect(region.makeRoom(inline: 64, outlined: 256, in: page))
        let second = region.range(of: .outlined, in: page)
        #expect(second.upperBound == first.lowerBound)
        #expect(second.upperBound - second.lowerBound >= 256 && second.lowerBound % 16 == 0)
        #expect(region.remaining(.inline, of: page) >= 64)
        let later = try region.emit(MachineCode.returnConstant(2000), in: .outlined, of: page)
        #expect(second.contains(later))

        #expect(region.used(.outlined, of: page) == usedBefore + 6)
        #expect(region.stats.outlinedBytesUsed == usedBefore + 6)
        #expect(function(at: inlineEntry, as: NoArgumentFunction.self)() == 1000)
        #expect(function(at: outlinedEntries.last!, as: NoArgumentFunction.self)() == UInt64(outlinedEntries.count - 1))
        #expect(function(at: later, as: NoArgumentFunction.self)() == 2000)
        // Bytes between the inline code and the new window were never handed out: writes there are refused.
        #expect(throws: CodeMemoryError.self) { try region.write([0x90], at: second.lowerBound - 1) }
        #expect(throws: CodeMemoryError.self) { try region.write([0x90], at: later + 6) }
        try region.write([0xC3], at: later)
        try expectNoWritableExecutableMapping()
    }

    @Test("makeRoom refuses, changing nothing, when the free middle is too small")
    func makeRoomRefusesWhenTheMiddleIsTooSmall() throws {
        let region = try makeRegion(regionSize: 4 * Self.pageSize, pageSize: Self.pageSize)
        let page = try region.allocatePage()
        _ = try region.emit([0x90], in: .outlined, of: page)
        _ = try region.allocate(region.remaining(.inline, of: page) - 100, in: .inline, of: page)
        let window = region.range(of: .outlined, in: page)
        // The window has room: a short inline part cannot borrow it (its free bytes are not next to it).
        #expect(!region.makeRoom(inline: 200, outlined: 16, in: page))
        // The window is short and the middle (100 bytes) cannot hold 64 + 64.
        #expect(!region.makeRoom(inline: 64, outlined: region.remaining(.outlined, of: page) + 1, in: page))
        #expect(region.range(of: .outlined, in: page) == window)
        #expect(region.remaining(.inline, of: page) == 100)
        #expect(!region.makeRoom(inline: 0, outlined: 0, in: PageIndex(3)))
    }

    @Test("A window nothing was written to is resized to give inline code room")
    func emptyWindowIsResized() throws {
        let region = try makeRegion(regionSize: 4 * Self.pageSize, pageSize: Self.pageSize)
        let page = try region.allocatePage()
        _ = try region.emit([UInt8](repeating: 0x90, count: 1000), in: .inline, of: page)
        #expect(region.makeRoom(inline: 2900, outlined: 64, in: page))
        #expect(region.remaining(.inline, of: page) >= 2900)
        #expect(region.remaining(.outlined, of: page) >= 64)
        #expect(region.range(of: .outlined, in: page).upperBound == region.baseAddress(of: page) + UInt(Self.pageSize))
        // And the other way: almost the whole page for outlined code (stubs for an invalidation).
        let other = try region.allocatePage()
        #expect(region.makeRoom(inline: 0, outlined: Self.pageSize - 16, in: other))
        #expect(region.remaining(.outlined, of: other) >= Self.pageSize - 16)
    }

    @Test("A freed page forgets its windows: INT3 throughout, empty when handed out again")
    func freedPageForgetsItsWindows() throws {
        let region = try makeRegion(regionSize: 2 * Self.pageSize, pageSize: Self.pageSize)
        let page = try region.allocatePage()
        _ = try region.allocate(region.remaining(.outlined, of: page) - 8, in: .outlined, of: page)
        #expect(region.makeRoom(inline: 600, outlined: 512, in: page))
        _ = try region.emit([UInt8](repeating: 0x90, count: 500), in: .outlined, of: page)
        _ = try region.emit([UInt8](repeating: 0x90, count: 500), in: .inline, of: page)
        try region.freePage(page)
        let bytes = try region.bytes(at: region.baseAddress(of: page), count: Self.pageSize)
        #expect(bytes.allSatisfy { $0 == 0xCC })
        let again = try region.allocatePage()
        #expect(again == page)
        #expect(region.used(.inline, of: again) == 0 && region.used(.outlined, of: again) == 0)
        #expect(region.range(of: .outlined, in: again).upperBound == region.baseAddress(of: again) + UInt(Self.pageSize))
        try expectNoWritableExecutableMapping()
    }
}
