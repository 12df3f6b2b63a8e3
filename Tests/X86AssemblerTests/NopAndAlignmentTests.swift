import Testing
import X86Assembler

/// Multi-byte no-ops and address alignment.
@Suite struct NopAndAlignmentTests {
    @Test("nop(n) emits exactly what llvm-mc's .nops n emits, for n = 1...32")
    func nopsMatchLLVM() throws {
        var program = ""
        var assembler = Assembler(baseAddress: 0)
        for length in 1...32 {
            program += ".nops \(length)\nint3\n"
            assembler.nop(length)
            assembler.int3()
        }
        #expect(try assembler.finalize() == LLVMMC.assemble(program))
    }

    @Test("nop(0) and negative lengths emit nothing")
    func emptyNop() throws {
        var assembler = Assembler(baseAddress: 0)
        assembler.nop(0)
        assembler.nop(-3)
        #expect(try assembler.finalize().isEmpty)
    }

    @Test("alignWithNops reaches the next multiple of the alignment from every starting address, with llvm-mc's nops",
          arguments: [1, 8, 16, 64])
    func alignment(_ alignment: Int) throws {
        var ours: [UInt8] = []
        var program = ""
        for start in 0..<UInt(alignment + 3) {
            var assembler = Assembler(baseAddress: 0x1000 + start)
            assembler.alignWithNops(to: alignment)
            let padding = (UInt(alignment) - start % UInt(alignment)) % UInt(alignment)
            #expect(assembler.currentAddress % UInt(alignment) == 0)
            #expect(assembler.currentAddress - assembler.baseAddress == padding)
            assembler.int3()
            ours += try assembler.finalize()
            program += (padding > 0 ? ".nops \(padding)\n" : "") + "int3\n"
        }
        #expect(try ours == LLVMMC.assemble(program))
    }

    @Test("more than 4096 bytes of no-ops is reported instead of emitted")
    func excessivePadding() {
        var assembler = Assembler(baseAddress: 0)
        assembler.nop(4096)
        #expect(assembler.offset == 4096)
        assembler.nop(Int.max)
        #expect(assembler.offset == 4096)
        #expect(throws: AssemblerError.invalidPadding(Int.max)) { try assembler.finalize() }
    }

    @Test("an alignment that is not a power of two up to 4096 is reported", arguments: [0, -8, 3, 24, 8192])
    func invalidAlignment(_ alignment: Int) {
        var assembler = Assembler(baseAddress: 0x1001)
        assembler.alignWithNops(to: alignment)
        #expect(throws: AssemblerError.invalidAlignment(alignment)) { try assembler.finalize() }
    }
}
