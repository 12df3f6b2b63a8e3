import Testing
import X86Assembler

/// jmp, jcc and call in their register, memory and absolute-rel32 forms, ret and int3, checked against llvm-mc.
@Suite struct BranchEncodingTests {
    @Test("indirect jmp and call through every register and through memory")
    func indirect() throws {
        var cases: [EncodingCase] = []
        for register in Register.all {
            cases.append(EncodingCase("jmp \(register.name64)") { $0.jmp(register) })
            cases.append(EncodingCase("call \(register.name64)") { $0.call(register) })
        }
        for operand in MemoryOperand.representative {
            cases.append(EncodingCase("jmp qword ptr \(operand.text)") { $0.jmp(operand.memory) })
            cases.append(EncodingCase("call qword ptr \(operand.text)") { $0.call(operand.memory) })
        }
        cases.append(EncodingCase("ret") { $0.ret() })
        cases.append(EncodingCase("int3") { $0.int3() })
        try expectMatchesLLVM(cases)
    }

    @Test("rel32 jmp, jcc (all conditions) and call to absolute targets are computed from the base address")
    func absoluteTargets() throws {
        // llvm-mc resolves `site + distance` against the instruction's own label; the assembler gets the
        // same absolute target expressed from its base address.
        let base: UInt = 0x7FAB_CDEF_1000
        let distances: [Int64] = [0, 5, -5, 200, -200, 0x7FFF_0000, -0x7FFF_0000]
        var program = ""
        var assembler = Assembler(baseAddress: base)
        var site = 0
        func next(_ text: String, _ emit: (inout Assembler, UInt) -> Void, _ distance: Int64) {
            program += "site\(site):\n\(text) site\(site) + \(distance)\n"
            emit(&assembler, base &+ UInt(assembler.offset) &+ UInt(bitPattern: Int(distance)))
            site += 1
        }
        for distance in distances {
            next("{disp32} jmp", { $0.jmp(absolute: $1) }, distance)
            next("call", { $0.call(absolute: $1) }, distance)
            for condition in Condition.allCases {
                next("{disp32} j\(condition.suffix)", { $0.jcc(condition, absolute: $1) }, distance)
            }
        }
        #expect(try assembler.finalize() == LLVMMC.assemble(program))
    }

    @Test("every condition's short and near jcc to labels matches llvm-mc")
    func conditionalToLabels() throws {
        var program = "top:\n"
        var assembler = Assembler(baseAddress: 0x1000)
        let top = assembler.newLabel()
        let end = assembler.newLabel()
        assembler.bind(top)
        for condition in Condition.allCases {
            program += "j\(condition.suffix) top\n{disp32} j\(condition.suffix) end\n"
            assembler.jcc(condition, top)
            assembler.jcc(condition, end)
        }
        program += "end:\nret\n"
        assembler.bind(end)
        assembler.ret()
        #expect(try assembler.finalize() == LLVMMC.assemble(program))
    }

    @Test("call and jmp with a scratch register use rel32 when in reach and movabs + indirect otherwise")
    func farTargetsThroughScratch() throws {
        let base: UInt = 0x7F00_0000_0000
        let near = base + 0x7000_0000, far: UInt = 0x5555_0000_1234
        var reachable = Assembler(baseAddress: base)
        reachable.call(absolute: near, scratch: .r11)
        reachable.jmp(absolute: near, scratch: .r11)
        var direct = Assembler(baseAddress: base)
        direct.call(absolute: near)
        direct.jmp(absolute: near)
        #expect(try reachable.finalize() == direct.finalize())

        var distant = Assembler(baseAddress: base)
        distant.call(absolute: far, scratch: .r11)
        distant.jmp(absolute: far, scratch: .rax)
        let expected = try LLVMMC.encodings(of: ["movabs r11, \(far)", "call r11", "movabs rax, \(far)", "jmp rax"])
        #expect(try distant.finalize() == expected.flatMap { $0 })
    }
}
