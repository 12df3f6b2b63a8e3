import Testing
@testable import CodeGC

/// The page table stores records only up to the highest page written; every other page reads as empty.
@Suite("Page records stored as pages are used")
struct PageRecordsTests {
    @Test func aFreshTableStoresNoRecordAndEveryPageReadsEmpty() {
        let table = PageTable(base: 0x100000, pageSize: 4096, pageCount: 4096)
        #expect(table.pages.storedPages.isEmpty)
        for page in [0, 1, 2047, 4095] {
            let record = table.pages[page]
            #expect(record.entries.isEmpty && record.longestEntry == 0 && !record.isAllocated && record.writerHolds == 0)
        }
        var found: [CodeObject] = []
        table.forEachObject(containing: 0x100000 + 5 * 4096 + 8) { found.append($0) }
        #expect(found.isEmpty)
    }

    @Test func writingAPageStoresRecordsUpToItAndLookupsSeeOnlyWhatWasWritten() {
        var table = PageTable(base: 0x100000, pageSize: 4096, pageCount: 4096)
        table.pages[2].isAllocated = true
        #expect(table.pages.storedPages == 0..<3)
        #expect(!table.pages[1].isAllocated && table.pages[2].isAllocated && !table.pages[3].isAllocated)

        // A range spanning pages 9 and 10 stores records through page 10.
        let start: UInt = 0x100000 + 9 * 4096 + 4000
        table.insert(start..<(start + 200), .block(BlockID(rawValue: 7)))
        #expect(table.pages.storedPages == 0..<11)
        #expect(table.pages[9].entries.count == 1 && table.pages[10].entries.count == 1)
        #expect(Array(table.pages).count == 11)
        var found: [CodeObject] = []
        table.forEachObject(containing: start + 150) { found.append($0) }
        #expect(found == [.block(BlockID(rawValue: 7))])
        found = []
        table.forEachObject(containing: 0x100000 + 11 * 4096) { found.append($0) }
        #expect(found.isEmpty)

        // Removing from a page never written changes nothing; removing the block empties both pages.
        table.remove(0x100000 + 100 * 4096..<0x100000 + 100 * 4096 + 8, .block(BlockID(rawValue: 7)))
        #expect(table.pages.storedPages == 0..<11)
        table.remove(start..<(start + 200), .block(BlockID(rawValue: 7)))
        #expect(table.pages[9].entries.isEmpty && table.pages[10].entries.isEmpty)
    }
}
