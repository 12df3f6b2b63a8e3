import CodeGC
import CodeMemory
import Testing
import X86Assembler

/// A small real JIT for the diagnostics tests: a region of 16 KiB pages collected by a CodeGC with no roots
/// but entries, so a block not made an entry is freed (with its page) by the next collection.
final class CodeHarness: CodeGCRoots {
    let region: CodeRegion
    let gc: CodeGC
    private(set) var freedPageBatches: [[Int]] = []

    init(pageCount: Int = 8) throws {
        region = try CodeRegion(CodeRegionConfiguration(regionSize: pageCount * (16 << 10), pageSize: 16 << 10))
        gc = CodeGC(space: region, configuration: CodeGCConfiguration(policy: CollectionPolicy(occupancyThreshold: nil)))
        gc.roots = self
    }

    /// Compiles `build` as one block of `owner` on a fresh page (hold dropped) and returns its code range.
    func compile(owner: UInt64, _ build: (inout Assembler) throws -> Void = { $0.ret() }) throws -> (page: Int, code: Range<UInt>, block: BlockID) {
        let page = try #require(try gc.allocatePage())
        let start = region.bumpAddress(.inline, of: PageIndex(page), alignment: 16)
        var assembler = Assembler(baseAddress: start)
        try build(&assembler)
        let bytes = try assembler.finalize()
        let address = try region.emit(bytes, alignment: 16, in: .inline, of: PageIndex(page))
        try #require(address == start)
        let code = address..<(address + UInt(bytes.count))
        let block = try gc.addBlock(owner: CodeOwnerID(owner), ranges: [code])
        try gc.releasePage(page)
        return (page, code, block)
    }

    func addRoots(to roots: inout CodeGCRootSet) {}
    func codeGC(_ collector: CodeGC, didRemoveEntry block: BlockID, of owner: CodeOwnerID) {}
    func codeGC(_ collector: CodeGC, didFreePages pages: [Int]) { freedPageBatches.append(pages) }
}
