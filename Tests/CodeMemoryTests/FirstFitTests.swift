import CodeMemory
import Testing

/// A region with no unused page left can still take small blocks in the unwritten bytes of its live pages
/// (first fit), and a block of known size can be given exactly its room. Neither may ever hand out a byte
/// that was handed out before.
@Suite("Blocks of known size fit into the unwritten bytes of live pages")
struct FirstFitTests {
    static let pageSize = 4096

    static func region(pages: Int) throws -> CodeRegion {
        try makeRegion(regionSize: pages * pageSize, pageSize: pageSize)
    }

    /// Fills a page to `inline` inline and `outlined` outlined bytes of 0x90.
    static func fill(_ region: CodeRegion, _ page: PageIndex, inline: Int, outlined: Int) throws {
        #expect(region.makeRoom(exactlyInline: inline, outlined: outlined, in: page))
        _ = try region.emit([UInt8](repeating: 0x90, count: inline), in: .inline, of: page)
        _ = try region.emit([UInt8](repeating: 0x90, count: outlined), in: .outlined, of: page)
    }

    @Test("A known size that needs a new window gets one of that size and every other free byte inline")
    func exactRoomLeavesTheRestInline() throws {
        let region = try Self.region(pages: 2)
        let page = try region.allocatePage()
        _ = try region.emit([UInt8](repeating: 0x90, count: 1000), in: .inline, of: page)
        // More inline room than the predicted window leaves: the window is cut to the 100 bytes, rounded
        // up to the window alignment, at the top of the page.
        #expect(region.remaining(.inline, of: page) < 2900)
        #expect(region.makeRoom(exactlyInline: 2900, outlined: 100, in: page))
        let window = region.range(of: .outlined, in: page)
        #expect(window.upperBound == region.baseAddress(of: page) + UInt(Self.pageSize))
        #expect(window.count == 112)
        #expect(region.remaining(.inline, of: page) == Self.pageSize - 1000 - 112)
        // More than the page's free middle: nothing changes.
        #expect(!region.makeRoom(exactlyInline: 3000, outlined: 200, in: page))
        #expect(region.range(of: .outlined, in: page) == window)
    }

    @Test("A window already written to is closed when a block needs more: the next one opens below its code")
    func exactRoomKeepsWrittenOutlinedCode() throws {
        let region = try Self.region(pages: 2)
        let page = try region.allocatePage()
        let first = try region.emit([UInt8](repeating: 0xAB, count: 60), in: .outlined, of: page)
        let tail = region.remaining(.outlined, of: page)
        #expect(region.makeRoom(exactlyInline: 100, outlined: tail + 16, in: page))
        let second = try region.emit([UInt8](repeating: 0x90, count: tail + 16), in: .outlined, of: page)
        #expect(second + UInt(tail + 16) <= first)
        #expect(try region.bytes(at: first, count: 60) == [UInt8](repeating: 0xAB, count: 60))
    }

    @Test("First fit takes the lowest live page with room, skipping the excluded, rejected and unused ones")
    func firstFitTakesTheLowestLivePageWithRoom() throws {
        let region = try Self.region(pages: 6)
        let pages = try (0..<4).map { _ in try region.allocatePage() }
        try Self.fill(region, pages[0], inline: 3900, outlined: 100)
        try Self.fill(region, pages[1], inline: 3000, outlined: 400)
        try Self.fill(region, pages[2], inline: 3000, outlined: 400)
        try Self.fill(region, pages[3], inline: 2000, outlined: 400)
        try region.freePage(pages[1])
        // Page 1 is free (its memory returned): never a candidate, though all of it is unwritten.
        #expect(region.firstPage(withRoom: 500, excluding: nil) { _ in true } == pages[2])
        #expect(region.firstPage(withRoom: 500, excluding: pages[2]) { _ in true } == pages[3])
        #expect(region.firstPage(withRoom: 500, excluding: nil) { $0 != pages[2] } == pages[3])
        // No live page has 2 KiB unwritten: the unused pages (uncommitted, free) are not first fit's.
        #expect(region.firstPage(withRoom: 2048, excluding: nil) { _ in true } == nil)
        #expect(region.hasUnusedPage)
    }

    @Test("Code placed by first fit lies in unwritten bytes and leaves the page's earlier code intact")
    func firstFitNeverOverwritesCode() throws {
        let region = try Self.region(pages: 2)
        let page = try region.allocatePage()
        _ = try region.allocatePage()
        #expect(!region.hasUnusedPage)
        let inline = try region.emit([UInt8](repeating: 0x11, count: 2500), in: .inline, of: page)
        let outlined = try region.emit([UInt8](repeating: 0x22, count: 300), in: .outlined, of: page)
        // The outlined window's free tail is the stretch that holds 400 bytes (the inline part has ~300).
        let found = region.firstPage(withRoom: 400, excluding: nil) { region.remaining(.outlined, of: $0) >= 400 }
        #expect(found == page)
        let placed = try region.emit([UInt8](repeating: 0x33, count: 400), in: .outlined, of: page)
        #expect(placed >= outlined + 300)
        #expect(placed + 400 <= region.baseAddress(of: page) + UInt(Self.pageSize))
        #expect(try region.bytes(at: inline, count: 2500) == [UInt8](repeating: 0x11, count: 2500))
        #expect(try region.bytes(at: outlined, count: 300) == [UInt8](repeating: 0x22, count: 300))
    }
}
