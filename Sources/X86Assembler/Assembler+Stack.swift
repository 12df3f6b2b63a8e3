// Stack instructions. push/pop are always 64-bit in long mode.

extension Assembler {
    /// `push source`.
    @inlinable public mutating func push(_ source: Register) {
        var run = ByteRun()
        run.rex(wide: false, reg: 0, index: 0, base: source.rawValue)
        run.add(0x50 | source.low3)
        emit(run)
    }

    /// `push imm`: pushes the immediate sign-extended to 64 bits (one byte when it fits).
    @inlinable public mutating func push(_ immediate: Int32) {
        let size8 = Int8(exactly: immediate) != nil
        var run = ByteRun()
        run.add(size8 ? 0x6A : 0x68)
        run.immediate(immediate, size: size8 ? 1 : 4)
        emit(run)
    }

    /// `push qword ptr [memory]`.
    @inlinable public mutating func push(_ source: Memory) {
        emitMemoryForm(0xFF, reg: 6, memory: source, wide: false)
    }

    /// `pop destination`.
    @inlinable public mutating func pop(_ destination: Register) {
        var run = ByteRun()
        run.rex(wide: false, reg: 0, index: 0, base: destination.rawValue)
        run.add(0x58 | destination.low3)
        emit(run)
    }

    /// `pop qword ptr [memory]`.
    @inlinable public mutating func pop(_ destination: Memory) {
        emitMemoryForm(0x8F, reg: 0, memory: destination, wide: false)
    }
}
