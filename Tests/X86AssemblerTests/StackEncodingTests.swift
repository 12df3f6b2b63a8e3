import Testing
import X86Assembler

/// push and pop of registers, immediates and memory, checked against llvm-mc.
@Suite struct StackEncodingTests {
    @Test("push and pop every register, push imm8/imm32, push and pop memory")
    func pushAndPop() throws {
        var cases: [EncodingCase] = []
        for register in Register.all {
            cases.append(EncodingCase("push \(register.name64)") { $0.push(register) })
            cases.append(EncodingCase("pop \(register.name64)") { $0.pop(register) })
        }
        for immediate: Int32 in [0, 127, -128, 128, -129, Int32.max, Int32.min] {
            cases.append(EncodingCase("push \(immediate)") { $0.push(immediate) })
        }
        for operand in MemoryOperand.representative {
            cases.append(EncodingCase("push qword ptr \(operand.text)") { $0.push(operand.memory) })
            cases.append(EncodingCase("pop qword ptr \(operand.text)") { $0.pop(operand.memory) })
        }
        try expectMatchesLLVM(cases)
    }
}
