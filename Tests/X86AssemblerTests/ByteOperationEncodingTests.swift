import Testing
import X86Assembler

/// The 8-bit test, cmp and mov forms, checked against llvm-mc (spl..dil need a REX prefix, al has short forms).
@Suite struct ByteOperationEncodingTests {
    @Test("test and cmp of a byte register with imm8, on every register")
    func registerImmediate() throws {
        var cases: [EncodingCase] = []
        for register in Register.all {
            for immediate: UInt8 in [0, 1, 0x7F, 0x80, 0xFF] {
                cases.append(EncodingCase("test \(register.name8), \(immediate)") { $0.test(register, byte: immediate) })
                cases.append(EncodingCase("cmp \(register.name8), \(immediate)") { $0.cmp(register, byte: immediate) })
            }
        }
        try expectMatchesLLVM(cases)
    }

    @Test("test, cmp and mov of a memory byte with imm8, and byte stores of every register")
    func memoryForms() throws {
        var cases: [EncodingCase] = []
        for operand in MemoryOperand.representative {
            for immediate: UInt8 in [1, 0xFF] {
                cases.append(EncodingCase("test byte ptr \(operand.text), \(immediate)") { $0.test(operand.memory, byte: immediate) })
                cases.append(EncodingCase("cmp byte ptr \(operand.text), \(immediate)") { $0.cmp(operand.memory, byte: immediate) })
                cases.append(EncodingCase("mov byte ptr \(operand.text), \(immediate)") { $0.mov(operand.memory, byte: immediate) })
            }
            for register in Register.all {
                cases.append(EncodingCase("mov byte ptr \(operand.text), \(register.name8)") { $0.mov(operand.memory, byte: register) })
            }
        }
        try expectMatchesLLVM(cases)
    }

    @Test("byte forms with RIP-relative operands count the trailing imm8")
    func ripRelative() throws {
        let program = """
        test byte ptr [rip + flag], 1
        cmp byte ptr [rip + flag], 2
        mov byte ptr [rip + flag], 3
        mov byte ptr [rip + flag], sil
        flag:
        .byte 0
        """
        var assembler = Assembler(baseAddress: 0x9000)
        let flag = assembler.newLabel()
        assembler.test(.rip(flag), byte: 1)
        assembler.cmp(.rip(flag), byte: 2)
        assembler.mov(.rip(flag), byte: 3)
        assembler.mov(.rip(flag), byte: .rsi)
        assembler.bind(flag)
        assembler.emitBytes([0])
        #expect(try assembler.finalize() == LLVMMC.assemble(program))
    }
}
