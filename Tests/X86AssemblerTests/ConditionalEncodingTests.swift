import Testing
import X86Assembler

/// cmovcc and setcc for every condition, checked against llvm-mc; condition inversion.
@Suite struct ConditionalEncodingTests {
    @Test("cmovcc for every condition with register and memory sources")
    func conditionalMove() throws {
        var cases: [EncodingCase] = []
        for condition in Condition.allCases {
            for size in OperandSize.both {
                for destination in Register.all {
                    let source = Register.all[(Int(destination.rawValue) * 7 + Int(condition.rawValue)) % 16]
                    cases.append(EncodingCase("cmov\(condition.suffix) \(destination.name(size)), \(source.name(size))") {
                        $0.cmov(condition, destination, source, size: size)
                    })
                }
                for operand in MemoryOperand.representative {
                    cases.append(EncodingCase("cmov\(condition.suffix) r9\(size == .dword ? "d" : ""), \(size.pointer) \(operand.text)") {
                        $0.cmov(condition, .r9, operand.memory, size: size)
                    })
                }
            }
        }
        try expectMatchesLLVM(cases)
    }

    @Test("setcc for every condition on every byte register (spl..dil need REX) and on memory")
    func setByte() throws {
        var cases: [EncodingCase] = []
        for condition in Condition.allCases {
            for register in Register.all {
                cases.append(EncodingCase("set\(condition.suffix) \(register.name8)") { $0.set(condition, register) })
            }
            for operand in MemoryOperand.representative {
                cases.append(EncodingCase("set\(condition.suffix) byte ptr \(operand.text)") { $0.set(condition, operand.memory) })
            }
        }
        try expectMatchesLLVM(cases)
    }

    @Test("inverted pairs each condition with its complement, and the aliases name the same codes")
    func inversion() throws {
        let complements: [(Condition, Condition)] = [
            (.overflow, .noOverflow), (.below, .aboveOrEqual), (.equal, .notEqual), (.belowOrEqual, .above),
            (.sign, .noSign), (.parity, .noParity), (.less, .greaterOrEqual), (.lessOrEqual, .greater),
        ]
        for (condition, complement) in complements {
            #expect(condition.inverted == complement)
            #expect(complement.inverted == condition)
        }
        // llvm-mc spells jz/jnz/jc/jnc with the same opcodes as je/jne/jb/jae.
        let aliases: [(String, Condition)] = [("jz", .zero), ("jnz", .notZero), ("jc", .carry), ("jnc", .noCarry)]
        var program = ""
        var assembler = Assembler(baseAddress: 0)
        for (number, (mnemonic, condition)) in aliases.enumerated() {
            program += "site\(number):\n{disp32} \(mnemonic) site\(number) + 100\n"
            assembler.jcc(condition, absolute: UInt(assembler.offset) + 100)
        }
        #expect(try assembler.finalize() == LLVMMC.assemble(program))
    }
}
