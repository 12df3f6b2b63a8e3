import CodeMemory
import Testing

@Suite("Live code is patched with aligned atomic words")
struct CodePatchingTests {
    @Test("Patching a jmp's word retargets running code", arguments: WXStrategy.allCases)
    func patchRetargetsJump(strategy: WXStrategy) throws {
        let region = try makeRegion(strategy: strategy)
        let page = try region.allocatePage()
        let entry = try region.allocate(8, alignment: 8, in: .inline, of: page)
        let one = try region.emit(MachineCode.returnConstant(1), in: .inline, of: page)
        let two = try region.emit(MachineCode.returnConstant(2), in: .inline, of: page)
        let jumpEnd = entry + 5
        try region.patchWord(at: entry, to: MachineCode.jumpWord(displacement: Int32(one - jumpEnd)))
        let run = function(at: entry, as: NoArgumentFunction.self)
        #expect(run() == 1)
        let before = try region.loadWord(at: entry)
        try region.patchWord(at: entry, to: MachineCode.jumpWord(displacement: Int32(two - jumpEnd)))
        #expect(run() == 2)
        #expect(try region.compareExchangeWord(at: entry, expected: before, desired: 0) == false)
        #expect(try region.compareExchangeWord(at: entry, expected: try region.loadWord(at: entry), desired: before))
        #expect(run() == 1)
        try expectNoWritableExecutableMapping()
    }

    @Test("Misaligned patches and writes outside allocated code are rejected")
    func badPatchesAreRejected() throws {
        let region = try makeRegion()
        let page = try region.allocatePage()
        let base = try region.allocate(16, alignment: 8, in: .inline, of: page)
        #expect(throws: CodeMemoryError.misalignedPatch(address: base + 4)) { try region.patchWord(at: base + 4, to: 0) }
        #expect(throws: CodeMemoryError.notAllocatedCode(address: base + 16, count: 1)) {
            try region.write([0x90], at: base + 16)
        }
        #expect(throws: CodeMemoryError.notAllocatedCode(address: region.executableEnd, count: 8)) {
            try region.patchWord(at: region.executableEnd, to: 0)
        }
        try region.write([0x90, 0x90], at: base + 14)
        #expect(try region.bytes(at: base + 14, count: 3) == [0x90, 0x90, 0xCC])
    }
}
