import Testing
import X86Assembler

/// prefetcht0 with every kind of memory operand, checked against llvm-mc.
@Suite struct PrefetchEncodingTests {
    @Test("prefetcht0 of every representative memory operand")
    func prefetchT0() throws {
        let cases = MemoryOperand.representative.map { operand in
            EncodingCase("prefetcht0 byte ptr \(operand.text)") { $0.prefetchT0(operand.memory) }
        }
        try expectMatchesLLVM(cases)
    }
}
