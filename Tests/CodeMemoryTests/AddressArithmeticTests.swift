import CodeMemory
import Testing

@Suite("Addresses map to pages by arithmetic")
struct AddressArithmeticTests {
    @Test("Page of an address, and the lo < ra <= hi rule for return addresses")
    func pageOfAddress() throws {
        let region = try makeRegion(regionSize: 4 * 16384, pageSize: 16384)
        let low = region.executableBase, high = region.executableEnd
        #expect(high - low == 4 * 16384)
        #expect(region.pageIndex(containing: low) == PageIndex(0))
        #expect(region.pageIndex(containing: low + 16384) == PageIndex(1))
        #expect(region.pageIndex(containing: high - 1) == PageIndex(3))
        #expect(region.pageIndex(containing: high) == nil)
        #expect(region.pageIndex(containing: low - 1) == nil)
        #expect(!region.contains(returnAddress: low))
        #expect(region.contains(returnAddress: high))
        #expect(region.pageIndex(containingReturnAddress: low + 16384) == PageIndex(0))
        #expect(region.pageIndex(containingReturnAddress: high) == PageIndex(3))
        #expect(region.baseAddress(of: PageIndex(2)) == low + 2 * 16384)
        #expect(region.range(of: .outlined, in: PageIndex(1)) == low + 16384 + 8192..<low + 2 * 16384)
    }
}
