// One-operand arithmetic (group 3: not=2, neg=3).

extension Assembler {
    /// `not destination`: bitwise complement.
    @inlinable public mutating func not(_ destination: Register, size: OperandSize = .qword) {
        emitRegisterForm(0xF7, reg: 2, rm: destination, wide: size.isQword)
    }

    /// `not [memory]`: bitwise complement in memory.
    @inlinable public mutating func not(_ destination: Memory, size: OperandSize = .qword) {
        emitMemoryForm(0xF7, reg: 2, memory: destination, wide: size.isQword)
    }

    /// `neg destination`: two's-complement negation.
    @inlinable public mutating func neg(_ destination: Register, size: OperandSize = .qword) {
        emitRegisterForm(0xF7, reg: 3, rm: destination, wide: size.isQword)
    }

    /// `neg [memory]`: two's-complement negation in memory.
    @inlinable public mutating func neg(_ destination: Memory, size: OperandSize = .qword) {
        emitMemoryForm(0xF7, reg: 3, memory: destination, wide: size.isQword)
    }
}
