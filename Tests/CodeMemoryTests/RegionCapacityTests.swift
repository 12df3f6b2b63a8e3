import CShims
import CodeMemory
import Testing

@Suite("Running out of room is a typed result")
struct RegionCapacityTests {
    @Test("A one-page region fills and then reports full", arguments: WXStrategy.allCases)
    func onePageRegionReportsFull(strategy: WXStrategy) throws {
        let osPage = Int(jr_os_page_size())
        let region = try makeRegion(regionSize: osPage, pageSize: osPage, strategy: strategy)
        #expect(region.pageCount == 1)
        let page = try region.allocatePage()
        #expect(throws: CodeMemoryError.regionFull(pageCount: 1)) { try region.allocatePage() }

        var entries: [UInt] = []
        while region.remaining(.inline, of: page) >= 6 {
            entries.append(try region.emit(MachineCode.returnConstant(UInt32(entries.count)), in: .inline, of: page))
        }
        let left = region.remaining(.inline, of: page)
        #expect(throws: CodeMemoryError.halfFull(page: page, half: .inline, requested: 6, remaining: left)) {
            try region.emit(MachineCode.returnConstant(0), in: .inline, of: page)
        }
        #expect(function(at: entries.last!, as: NoArgumentFunction.self)() == entries.count - 1)

        try region.freePage(page)
        #expect(try region.allocatePage() == page)
        try expectNoWritableExecutableMapping()
    }

    @Test("Alignment padding counts against the half")
    func alignmentPaddingCounts() throws {
        let region = try makeRegion()
        let page = try region.allocatePage()
        _ = try region.allocate(1, in: .outlined, of: page)
        let predicted = region.bumpAddress(.outlined, of: page, alignment: 32)
        #expect(region.bumpAddress(.outlined, of: page) == region.range(of: .outlined, in: page).lowerBound + 1)
        let aligned = try region.allocate(8, alignment: 32, in: .outlined, of: page)
        #expect(aligned % 32 == 0 && aligned == predicted)
        #expect(region.used(.outlined, of: page) == 40)
        let window = region.range(of: .outlined, in: page)
        #expect(region.remaining(.outlined, of: page) == Int(window.upperBound - window.lowerBound) - 40)
        #expect(region.range(of: .outlined, in: page).contains(aligned))
    }

    @Test("Bad configurations and arguments are rejected, not trapped on")
    func badInputIsRejected() throws {
        #expect(throws: CodeMemoryError.self) { try makeRegion(pageSize: 3000) }
        #expect(throws: CodeMemoryError.self) { try makeRegion(pageSize: 1024) }
        #expect(throws: CodeMemoryError.self) { try makeRegion(regionSize: 16384 + 1) }
        #expect(throws: CodeMemoryError.self) { try makeRegion(regionSize: 0) }
        let region = try makeRegion()
        let page = try region.allocatePage()
        #expect(throws: CodeMemoryError.self) { try region.allocate(-1, in: .inline, of: page) }
        #expect(throws: CodeMemoryError.self) { try region.allocate(1, alignment: 3, in: .inline, of: page) }
    }

    @Test("The default region is 64 MiB of 16 KiB pages, reserved without memory")
    func defaultRegionShape() throws {
        let region = try CodeRegion(CodeRegionConfiguration(registersWithUnwinder: false))
        #expect(region.regionSize == 64 << 20 && region.pageSize == 16 << 10 && region.pageCount == 4096)
        #expect(region.configuration.strategy == .dualMapping)
        #expect(region.stats.residentBytes <= region.pageSize)  // only the shared INT3 page
    }
}
