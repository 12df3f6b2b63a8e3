import Testing
import X86Assembler

/// Every addressing mode the assembler offers, checked against llvm-mc: all bases (rsp/r12 need a
/// SIB byte, rbp/r13 a displacement), all base/index pairs at every scale, disp0/disp8/disp32 edges,
/// and RIP-relative operands to absolute addresses and labels.
@Suite struct MemoryOperandEncodingTests {
    @Test("base + index*scale + displacement in every combination, through mov loads")
    func everyBaseIndexScaleAndDisplacement() throws {
        var cases: [EncodingCase] = []
        for (number, operand) in MemoryOperand.exhaustive.enumerated() {
            // Rotate the register field through all 16 registers so REX.R is exercised with every mode.
            let register = Register.all[number % 16]
            cases.append(EncodingCase("mov \(register.name64), qword ptr \(operand.text)") { $0.mov(register, operand.memory) })
        }
        let compared = try expectMatchesLLVM(cases)
        #expect(compared > 3000)
    }

    @Test("RIP-relative to an absolute address is measured from the end of the instruction, immediate included")
    func ripRelativeAbsolute() throws {
        let base: UInt = 0x7F12_3456_0000
        let displacements: [Int32] = [0, 16, -16, 0x7FFF_0000, -0x7FFF_0000]
        var texts: [String] = []
        for displacement in displacements {
            texts.append("mov rax, qword ptr [rip + \(displacement)]")
            texts.append("mov qword ptr [rip + \(displacement)], r9")
            texts.append("mov qword ptr [rip + \(displacement)], 1000")
            texts.append("cmp qword ptr [rip + \(displacement)], 5")
            texts.append("lea r13, [rip + \(displacement)]")
        }
        let expected = try LLVMMC.encodings(of: texts)
        var index = 0
        for displacement in displacements {
            let emitters: [(inout Assembler, Memory) -> Void] = [
                { $0.mov(.rax, $1) }, { $0.mov($1, .r9) }, { $0.mov($1, 1000) }, { $0.cmp($1, 5) }, { $0.lea(.r13, $1) },
            ]
            for emit in emitters {
                // The target is whatever the displacement reaches from the end of llvm-mc's instruction.
                let target = base &+ UInt(expected[index].count) &+ UInt(bitPattern: Int(displacement))
                var assembler = Assembler(baseAddress: base)
                emit(&assembler, .rip(absolute: target))
                #expect(try assembler.finalize() == expected[index], "\(texts[index])")
                index += 1
            }
        }
    }

    @Test("RIP-relative to a label resolves forward and backward references, with immediates after the displacement")
    func ripRelativeLabel() throws {
        let program = """
        before:
        .quad 0x1122334455667788
        lea rax, [rip + after]
        mov qword ptr [rip + after + 8], 1000
        cmp dword ptr [rip + before], 7
        mov r11, qword ptr [rip + before]
        after:
        .quad 0
        """
        var assembler = Assembler(baseAddress: 0x40_0000)
        let before = assembler.newLabel()
        let after = assembler.newLabel()
        assembler.bind(before)
        assembler.emitUInt64(0x1122_3344_5566_7788)
        assembler.lea(.rax, .rip(after))
        assembler.mov(.rip(after, displacement: 8), 1000)
        assembler.cmp(.rip(before), 7, size: .dword)
        assembler.mov(.r11, .rip(before))
        assembler.bind(after)
        assembler.emitUInt64(0)
        #expect(try assembler.finalize() == LLVMMC.assemble(program))
    }
}
