// Stack instructions. push/pop are always 64-bit in long mode.

extension Assembler {
    /// `push source`.
    @inlinable public mutating func push(_ source: Register) {
        emitREX(wide: false, reg: 0, index: 0, base: source.rawValue)
        emit(0x50 | source.low3)
    }

    /// `push imm`: pushes the immediate sign-extended to 64 bits (one byte when it fits).
    @inlinable public mutating func push(_ immediate: Int32) {
        if let short = Int8(exactly: immediate) {
            emit(0x6A)
            emit(UInt8(bitPattern: short))
        } else {
            emit(0x68)
            emit32(immediate)
        }
    }

    /// `push qword ptr [memory]`.
    @inlinable public mutating func push(_ source: Memory) {
        emitMemoryForm(0xFF, reg: 6, memory: source, wide: false)
    }

    /// `pop destination`.
    @inlinable public mutating func pop(_ destination: Register) {
        emitREX(wide: false, reg: 0, index: 0, base: destination.rawValue)
        emit(0x58 | destination.low3)
    }

    /// `pop qword ptr [memory]`.
    @inlinable public mutating func pop(_ destination: Memory) {
        emitMemoryForm(0x8F, reg: 0, memory: destination, wide: false)
    }
}
