import Testing
import X86Assembler

/// Forward and backward label references, short/near selection, and the errors a bad label produces.
@Suite struct LabelTests {
    @Test("forward and backward jumps and calls resolve like llvm-mc, backward ones short when they reach")
    func forwardAndBackwardReferences() throws {
        let program = """
        top:
        jmp top
        jne top
        {disp32} jmp middle
        {disp32} jge middle
        jmp middle
        call middle
        .fill 200, 1, 0x90
        middle:
        call top
        jmp top
        jb top
        jmp middle
        {disp32} jmp bottom
        .fill 100, 1, 0xcc
        bottom:
        ret
        """
        var assembler = Assembler(baseAddress: 0x5555_0000)
        let top = assembler.newLabel(), middle = assembler.newLabel(), bottom = assembler.newLabel()
        assembler.bind(top)
        assembler.jmp(top)
        assembler.jcc(.notEqual, top)
        assembler.jmp(middle)
        assembler.jcc(.greaterOrEqual, middle)
        assembler.jmp(middle, width: .near)
        assembler.call(middle)
        assembler.emitBytes([UInt8](repeating: 0x90, count: 200))
        assembler.bind(middle)
        assembler.call(top)
        assembler.jmp(top)
        assembler.jcc(.below, top)
        assembler.jmp(middle)
        assembler.jmp(bottom)
        assembler.emitBytes([UInt8](repeating: 0xCC, count: 100))
        assembler.bind(bottom)
        assembler.ret()
        #expect(try assembler.finalize() == LLVMMC.assemble(program))
        #expect(assembler.offset(of: middle) == 2 + 2 + 5 + 6 + 5 + 5 + 200)
        #expect(assembler.address(of: top) == 0x5555_0000)
    }

    @Test("short forward jumps within reach are encoded with rel8 after finalize")
    func shortForwardJumps() throws {
        let program = """
        jmp near
        je near
        .fill 125, 1, 0x90
        near:
        ret
        """
        var assembler = Assembler(baseAddress: 0)
        let near = assembler.newLabel()
        assembler.jmp(near, width: .short)
        assembler.jcc(.equal, near, width: .short)
        assembler.emitBytes([UInt8](repeating: 0x90, count: 125))
        assembler.bind(near)
        assembler.ret()
        #expect(try assembler.finalize() == LLVMMC.assemble(program))
    }

    @Test("a referenced label that is never bound is reported by finalize")
    func unboundLabelIsAnError() {
        var assembler = Assembler(baseAddress: 0x1000)
        let bound = assembler.newLabel(), missing = assembler.newLabel(), unused = assembler.newLabel()
        _ = unused
        assembler.bind(bound)
        assembler.jmp(bound)
        assembler.jcc(.equal, missing)
        #expect(throws: AssemblerError.unboundLabel(missing)) { try assembler.finalize() }
    }

    @Test("a label that is created but never referenced does not need binding")
    func unreferencedLabelIsFine() throws {
        var assembler = Assembler(baseAddress: 0x1000)
        _ = assembler.newLabel()
        assembler.ret()
        #expect(try assembler.finalize() == [0xC3])
    }

    @Test("binding a label twice is reported")
    func doubleBindIsAnError() {
        var assembler = Assembler(baseAddress: 0x1000)
        let label = assembler.newLabel()
        assembler.bind(label)
        assembler.nop()
        assembler.bind(label)
        #expect(throws: AssemblerError.labelAlreadyBound(label)) { try assembler.finalize() }
    }

    @Test("a label from another assembler is reported, not trusted, even when its index exists here")
    func foreignLabelIsAnError() {
        var other = Assembler(baseAddress: 0)
        let foreign = other.newLabel()
        var assembler = Assembler(baseAddress: 0x1000)
        let own = assembler.newLabel()  // same index as `foreign`
        assembler.bind(own)
        assembler.jmp(foreign)
        #expect(assembler.offset(of: foreign) == nil)
        #expect(throws: AssemblerError.unknownLabel(foreign)) { try assembler.finalize() }
        var binder = Assembler(baseAddress: 0x1000)
        _ = binder.newLabel()
        binder.bind(foreign)
        #expect(throws: AssemblerError.unknownLabel(foreign)) { try binder.finalize() }
    }

    @Test("a label created before reset is unknown afterwards, even when its index is reused")
    func staleLabelAfterResetIsAnError() {
        var assembler = Assembler(baseAddress: 0x1000)
        let stale = assembler.newLabel()
        assembler.reset(baseAddress: 0x2000)
        let fresh = assembler.newLabel()
        assembler.bind(fresh)
        assembler.jcc(.equal, stale)
        #expect(throws: AssemblerError.unknownLabel(stale)) { try assembler.finalize() }
    }

    @Test("a short jump whose label ends up out of rel8 reach is reported, forward and backward")
    func shortJumpOutOfRange() {
        var forward = Assembler(baseAddress: 0)
        let far = forward.newLabel()
        forward.jmp(far, width: .short)
        forward.emitBytes([UInt8](repeating: 0x90, count: 128))
        forward.bind(far)
        #expect(throws: AssemblerError.shortBranchOutOfRange(offset: 0, label: far)) { try forward.finalize() }

        var backward = Assembler(baseAddress: 0)
        let start = backward.newLabel()
        backward.bind(start)
        backward.emitBytes([UInt8](repeating: 0x90, count: 127))
        backward.jcc(.equal, start, width: .short)
        #expect(throws: AssemblerError.shortBranchOutOfRange(offset: 127, label: start)) { try backward.finalize() }
    }

    @Test("the longest short jumps in both directions are accepted")
    func shortJumpAtTheEdges() throws {
        var assembler = Assembler(baseAddress: 0)
        let start = assembler.newLabel(), end = assembler.newLabel()
        assembler.bind(start)
        assembler.emitBytes([UInt8](repeating: 0x90, count: 126))
        assembler.jmp(start, width: .short)  // -128
        assembler.jmp(end, width: .short)    // +127
        assembler.emitBytes([UInt8](repeating: 0x90, count: 127))
        assembler.bind(end)
        let code = try assembler.finalize()
        #expect(Array(code[126..<130]) == [0xEB, 0x80, 0xEB, 0x7F])
    }
}
