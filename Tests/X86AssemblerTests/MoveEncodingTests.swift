import Testing
import X86Assembler

/// mov, movabs, loadImmediate, lea and movzx, checked against llvm-mc.
@Suite struct MoveEncodingTests {
    @Test("mov register, register for every pair, 64- and 32-bit")
    func registerToRegister() throws {
        var cases: [EncodingCase] = []
        for size in OperandSize.both {
            for destination in Register.all {
                for source in Register.all {
                    cases.append(EncodingCase("mov \(destination.name(size)), \(source.name(size))") { $0.mov(destination, source, size: size) })
                }
            }
        }
        try expectMatchesLLVM(cases)
    }

    @Test("mov register, imm32 (sign-extended for 64-bit) and movabs imm64")
    func immediates() throws {
        var cases: [EncodingCase] = []
        for register in Register.all {
            for immediate: Int32 in [0, 1, -1, 0x7FFF_FFFF, Int32.min] {
                cases.append(EncodingCase("mov \(register.name64), \(immediate)") { $0.mov(register, immediate) })
                cases.append(EncodingCase("mov \(register.name32), \(immediate)") { $0.mov(register, immediate, size: .dword) })
            }
            for immediate: UInt64 in [0, 0x1234_5678_9ABC_DEF0, UInt64.max] {
                cases.append(EncodingCase("movabs \(register.name64), \(immediate)") { $0.movabs(register, immediate) })
            }
        }
        try expectMatchesLLVM(cases)
    }

    @Test("loadImmediate picks the 32-bit, sign-extended or 64-bit mov by value")
    func loadImmediateChoosesShortestForm() throws {
        let values: [(UInt64, String)] = [
            (0, "mov r32, 0"), (0xFFFF_FFFF, "mov r32, 4294967295"),
            (UInt64(bitPattern: -1), "mov r64, -1"), (UInt64(bitPattern: -0x8000_0000), "mov r64, -2147483648"),
            (0x1_0000_0000, "movabs r64, 4294967296"), (UInt64(bitPattern: -0x8000_0001), "movabs r64, -2147483649"),
        ]
        var cases: [EncodingCase] = []
        for register in [Register.rax, .rsp, .r8, .r15] {
            for (value, text) in values {
                let spelled = text.replacingOccurrences(of: "r32", with: register.name32).replacingOccurrences(of: "r64", with: register.name64)
                cases.append(EncodingCase(spelled) { $0.loadImmediate(register, value) })
            }
        }
        try expectMatchesLLVM(cases)
    }

    @Test("mov loads, stores and immediate stores with every register and special base")
    func memoryForms() throws {
        var cases: [EncodingCase] = []
        for size in OperandSize.both {
            for operand in MemoryOperand.representative {
                for register in Register.all {
                    cases.append(EncodingCase("mov \(register.name(size)), \(size.pointer) \(operand.text)") { $0.mov(register, operand.memory, size: size) })
                    cases.append(EncodingCase("mov \(size.pointer) \(operand.text), \(register.name(size))") { $0.mov(operand.memory, register, size: size) })
                }
                for immediate: Int32 in [0, -1, 0x1234_5678] {
                    cases.append(EncodingCase("mov \(size.pointer) \(operand.text), \(immediate)") { $0.mov(operand.memory, immediate, size: size) })
                }
            }
        }
        try expectMatchesLLVM(cases)
    }

    @Test("lea with every destination and special base")
    func loadEffectiveAddress() throws {
        var cases: [EncodingCase] = []
        for size in OperandSize.both {
            for register in Register.all {
                for operand in MemoryOperand.representative {
                    cases.append(EncodingCase("lea \(register.name(size)), \(operand.text)") { $0.lea(register, operand.memory, size: size) })
                }
            }
        }
        try expectMatchesLLVM(cases)
    }

    @Test("movzx from byte and word registers (spl..dil need REX) and memory")
    func zeroExtension() throws {
        var cases: [EncodingCase] = []
        for size in OperandSize.both {
            for destination in Register.all {
                for source in Register.all {
                    cases.append(EncodingCase("movzx \(destination.name(size)), \(source.name8)") { $0.movzx(destination, byte: source, size: size) })
                    cases.append(EncodingCase("movzx \(destination.name(size)), \(source.name16)") { $0.movzx(destination, word: source, size: size) })
                }
                for operand in MemoryOperand.representative {
                    cases.append(EncodingCase("movzx \(destination.name(size)), byte ptr \(operand.text)") { $0.movzx(destination, byte: operand.memory, size: size) })
                    cases.append(EncodingCase("movzx \(destination.name(size)), word ptr \(operand.text)") { $0.movzx(destination, word: operand.memory, size: size) })
                }
            }
        }
        try expectMatchesLLVM(cases)
    }
}
