// Signed multiplication and division, and the sign extensions that set up a division.

extension Assembler {
    /// `imul destination, source`: destination = destination * source (low half, signed; OF/CF on overflow).
    @inlinable public mutating func imul(_ destination: Register, _ source: Register, size: OperandSize = .qword) {
        emitRegisterForm(0x0FAF, reg: destination.rawValue, rm: source, wide: size.isQword)
    }

    /// `imul destination, [memory]`: destination = destination * [memory].
    @inlinable public mutating func imul(_ destination: Register, _ source: Memory, size: OperandSize = .qword) {
        emitMemoryForm(0x0FAF, reg: destination.rawValue, memory: source, wide: size.isQword)
    }

    /// `imul destination, source, imm`: destination = source * imm (immediate sign-extended; one byte when it fits).
    @inlinable public mutating func imul(_ destination: Register, _ source: Register, _ immediate: Int32, size: OperandSize = .qword) {
        let size8 = Int8(exactly: immediate) != nil
        emitRegisterForm(size8 ? 0x6B : 0x69, reg: destination.rawValue, rm: source, wide: size.isQword,
                         immediate: immediate, immediateSize: size8 ? 1 : 4)
    }

    /// `imul destination, [memory], imm`: destination = [memory] * imm.
    @inlinable public mutating func imul(_ destination: Register, _ source: Memory, _ immediate: Int32, size: OperandSize = .qword) {
        let size8 = Int8(exactly: immediate) != nil
        emitMemoryForm(size8 ? 0x6B : 0x69, reg: destination.rawValue, memory: source, wide: size.isQword,
                       immediate: immediate, immediateSize: size8 ? 1 : 4)
    }

    /// `idiv divisor`: signed divide rdx:rax by `divisor`; quotient to rax, remainder to rdx.
    /// Sign-extend rax into rdx first with ``cqo()`` (``cdq()`` for 32-bit). Faults on zero or overflow.
    @inlinable public mutating func idiv(_ divisor: Register, size: OperandSize = .qword) {
        emitRegisterForm(0xF7, reg: 7, rm: divisor, wide: size.isQword)
    }

    /// `idiv qword ptr [memory]`: signed divide rdx:rax by the value in memory.
    @inlinable public mutating func idiv(_ divisor: Memory, size: OperandSize = .qword) {
        emitMemoryForm(0xF7, reg: 7, memory: divisor, wide: size.isQword)
    }

    /// `cqo`: sign-extend rax into rdx:rax (before a 64-bit `idiv`).
    @inlinable public mutating func cqo() {
        var run = ByteRun()
        run.add(0x48)
        run.add(0x99)
        emit(run)
    }

    /// `cdq`: sign-extend eax into edx:eax (before a 32-bit `idiv`).
    @inlinable public mutating func cdq() {
        emit(0x99)
    }
}
