import Testing
import X86Assembler

/// The assembler's code buffer: growth past the reserved capacity, reuse after reset, and the
/// copy-free `resolve()` + `withUnsafeCode(_:)` path a JIT uses to write code into a page.
@Suite struct CodeBufferTests {
    struct Refused: Error, Equatable {}

    @Test("code far larger than the reserved capacity is emitted intact, labels included")
    func growsPastCapacity() throws {
        var assembler = Assembler(baseAddress: 0x10_0000, capacity: 1)
        let top = assembler.newLabel(), bottom = assembler.newLabel()
        assembler.bind(top)
        assembler.jmp(bottom)
        for _ in 0..<5000 {
            assembler.mov(.rax, Memory(base: .r12, displacement: 8))
            assembler.emitBytes([0x90, 0x90, 0x90])
        }
        assembler.jmp(top)
        assembler.bind(bottom)
        assembler.ret()
        let program = """
        top:
        {disp32} jmp bottom
        .rept 5000
        mov rax, qword ptr [r12 + 8]
        nop
        nop
        nop
        .endr
        jmp top
        bottom:
        ret
        """
        let code = try assembler.finalize()
        #expect(code.count == 5 + 5000 * 8 + 5 + 1)
        #expect(code == (try LLVMMC.assemble(program)))
    }

    @Test("resolve() then withUnsafeCode(_:) sees exactly what finalize() returns")
    func copyFreePathMatchesFinalize() throws {
        var assembler = Assembler(baseAddress: 0x7000_0000)
        let exit = assembler.newLabel()
        assembler.cmp(.rdi, 10)
        assembler.jcc(.greater, exit)
        assembler.lea(.rax, .rip(exit))
        assembler.bind(exit)
        assembler.ret()
        try assembler.resolve()
        let viewed = assembler.withUnsafeCode { Array($0) }
        #expect(viewed == (try assembler.finalize()))
        #expect(viewed.count == assembler.offset)
    }

    @Test("resolve() reports the same errors as finalize()")
    func resolveReportsErrors() {
        var assembler = Assembler(baseAddress: 0)
        let missing = assembler.newLabel()
        assembler.call(missing)
        #expect(throws: AssemblerError.unboundLabel(missing)) { try assembler.resolve() }
    }

    @Test("withUnsafeCode(_:) passes the body's typed error through")
    func withUnsafeCodeForwardsErrors() {
        var assembler = Assembler(baseAddress: 0)
        assembler.ret()
        #expect(throws: Refused()) {
            try assembler.withUnsafeCode { (_: UnsafeRawBufferPointer) throws(Refused) in throw Refused() }
        }
    }

    @Test("reset forgets code and labels, and the next code is assembled for the new base address")
    func resetStartsOver() throws {
        var assembler = Assembler(baseAddress: 0x1000)
        let old = assembler.newLabel()
        assembler.jmp(old)
        assembler.movabs(.r15, 0x1122_3344_5566_7788)
        assembler.reset(baseAddress: 0x2000)
        #expect(assembler.offset == 0)
        #expect(assembler.baseAddress == 0x2000)
        assembler.call(absolute: 0x2000 + 0x100)
        assembler.ret()
        #expect(try assembler.finalize() == [0xE8, 0xFB, 0x00, 0x00, 0x00, 0xC3])
    }
}
