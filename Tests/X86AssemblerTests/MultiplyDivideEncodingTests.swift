import Testing
import X86Assembler

/// imul in its two- and three-operand forms, idiv, cqo and cdq, checked against llvm-mc.
@Suite struct MultiplyDivideEncodingTests {
    @Test("imul register, register / memory / immediate with every register")
    func signedMultiply() throws {
        var cases: [EncodingCase] = []
        for size in OperandSize.both {
            for destination in Register.all {
                for source in Register.all {
                    cases.append(EncodingCase("imul \(destination.name(size)), \(source.name(size))") { $0.imul(destination, source, size: size) })
                    for immediate: Int32 in [3, -128, 1000] {
                        cases.append(EncodingCase("imul \(destination.name(size)), \(source.name(size)), \(immediate)") {
                            $0.imul(destination, source, immediate, size: size)
                        })
                    }
                }
                for operand in MemoryOperand.representative {
                    cases.append(EncodingCase("imul \(destination.name(size)), \(size.pointer) \(operand.text)") { $0.imul(destination, operand.memory, size: size) })
                    for immediate: Int32 in [-1, 0x10000] {
                        cases.append(EncodingCase("imul \(destination.name(size)), \(size.pointer) \(operand.text), \(immediate)") {
                            $0.imul(destination, operand.memory, immediate, size: size)
                        })
                    }
                }
            }
        }
        try expectMatchesLLVM(cases)
    }

    @Test("idiv register and memory, cqo and cdq")
    func signedDivide() throws {
        var cases: [EncodingCase] = []
        for size in OperandSize.both {
            for divisor in Register.all {
                cases.append(EncodingCase("idiv \(divisor.name(size))") { $0.idiv(divisor, size: size) })
            }
            for operand in MemoryOperand.representative {
                cases.append(EncodingCase("idiv \(size.pointer) \(operand.text)") { $0.idiv(operand.memory, size: size) })
            }
        }
        cases.append(EncodingCase("cqo") { $0.cqo() })
        cases.append(EncodingCase("cdq") { $0.cdq() })
        try expectMatchesLLVM(cases)
    }
}
