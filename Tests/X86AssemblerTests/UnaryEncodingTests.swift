import Testing
import X86Assembler

/// not and neg on registers and memory, checked against llvm-mc.
@Suite struct UnaryEncodingTests {
    @Test("not and neg on every register and on memory, 64- and 32-bit")
    func notAndNeg() throws {
        var cases: [EncodingCase] = []
        for size in OperandSize.both {
            for register in Register.all {
                cases.append(EncodingCase("not \(register.name(size))") { $0.not(register, size: size) })
                cases.append(EncodingCase("neg \(register.name(size))") { $0.neg(register, size: size) })
            }
            for operand in MemoryOperand.representative {
                cases.append(EncodingCase("not \(size.pointer) \(operand.text)") { $0.not(operand.memory, size: size) })
                cases.append(EncodingCase("neg \(size.pointer) \(operand.text)") { $0.neg(operand.memory, size: size) })
            }
        }
        try expectMatchesLLVM(cases)
    }
}
