// The classic two-operand integer instructions (add, or, and, sub, xor, cmp share one encoding
// scheme and differ only in the opcode extension) plus `test`.

/// The "group 1" ALU operations; the raw value is the ModRM /digit and bits 3-5 of the short opcodes.
@usableFromInline enum ArithmeticOperation: UInt8 {
    case add = 0, or = 1, and = 4, sub = 5, xor = 6, cmp = 7
}

extension Assembler {
    @inlinable
    mutating func arithmetic(_ operation: ArithmeticOperation, _ destination: Register, _ source: Register, size: OperandSize) {
        // The r/m, reg form (01, 09, 21, ...) is what assemblers conventionally pick for reg, reg.
        emitRegisterForm(UInt16(operation.rawValue << 3 | 1), reg: source.rawValue, rm: destination, wide: size.isQword)
    }

    @inlinable
    mutating func arithmetic(_ operation: ArithmeticOperation, _ destination: Register, _ immediate: Int32, size: OperandSize) {
        if Int8(exactly: immediate) != nil {
            emitRegisterForm(0x83, reg: operation.rawValue, rm: destination, wide: size.isQword, immediate: immediate, immediateSize: 1)
        } else if destination == .rax {
            // The accumulator has a form without ModRM, one byte shorter.
            var run = ByteRun()
            run.rex(wide: size.isQword, reg: 0, index: 0, base: 0)
            run.add(operation.rawValue << 3 | 5)
            run.add32(immediate)
            emit(run)
        } else {
            emitRegisterForm(0x81, reg: operation.rawValue, rm: destination, wide: size.isQword, immediate: immediate, immediateSize: 4)
        }
    }

    @inlinable
    mutating func arithmetic(_ operation: ArithmeticOperation, _ destination: Register, _ source: Memory, size: OperandSize) {
        emitMemoryForm(UInt16(operation.rawValue << 3 | 3), reg: destination.rawValue, memory: source, wide: size.isQword)
    }

    @inlinable
    mutating func arithmetic(_ operation: ArithmeticOperation, _ destination: Memory, _ source: Register, size: OperandSize) {
        emitMemoryForm(UInt16(operation.rawValue << 3 | 1), reg: source.rawValue, memory: destination, wide: size.isQword)
    }

    @inlinable
    mutating func arithmetic(_ operation: ArithmeticOperation, _ destination: Memory, _ immediate: Int32, size: OperandSize) {
        let size8 = Int8(exactly: immediate) != nil
        emitMemoryForm(size8 ? 0x83 : 0x81, reg: operation.rawValue, memory: destination, wide: size.isQword,
                       immediate: immediate, immediateSize: size8 ? 1 : 4)
    }

    /// `add destination, source`: destination += source.
    @inlinable public mutating func add(_ destination: Register, _ source: Register, size: OperandSize = .qword) {
        arithmetic(.add, destination, source, size: size)
    }

    /// `add destination, imm`: destination += source (immediate sign-extended; one byte when it fits).
    @inlinable public mutating func add(_ destination: Register, _ immediate: Int32, size: OperandSize = .qword) {
        arithmetic(.add, destination, immediate, size: size)
    }

    /// `add destination, [memory]`: destination += source.
    @inlinable public mutating func add(_ destination: Register, _ source: Memory, size: OperandSize = .qword) {
        arithmetic(.add, destination, source, size: size)
    }

    /// `add [memory], source`: destination += source.
    @inlinable public mutating func add(_ destination: Memory, _ source: Register, size: OperandSize = .qword) {
        arithmetic(.add, destination, source, size: size)
    }

    /// `add [memory], imm`: destination += source (immediate sign-extended; one byte when it fits).
    @inlinable public mutating func add(_ destination: Memory, _ immediate: Int32, size: OperandSize = .qword) {
        arithmetic(.add, destination, immediate, size: size)
    }

    /// `sub destination, source`: destination -= source.
    @inlinable public mutating func sub(_ destination: Register, _ source: Register, size: OperandSize = .qword) {
        arithmetic(.sub, destination, source, size: size)
    }

    /// `sub destination, imm`: destination -= source (immediate sign-extended; one byte when it fits).
    @inlinable public mutating func sub(_ destination: Register, _ immediate: Int32, size: OperandSize = .qword) {
        arithmetic(.sub, destination, immediate, size: size)
    }

    /// `sub destination, [memory]`: destination -= source.
    @inlinable public mutating func sub(_ destination: Register, _ source: Memory, size: OperandSize = .qword) {
        arithmetic(.sub, destination, source, size: size)
    }

    /// `sub [memory], source`: destination -= source.
    @inlinable public mutating func sub(_ destination: Memory, _ source: Register, size: OperandSize = .qword) {
        arithmetic(.sub, destination, source, size: size)
    }

    /// `sub [memory], imm`: destination -= source (immediate sign-extended; one byte when it fits).
    @inlinable public mutating func sub(_ destination: Memory, _ immediate: Int32, size: OperandSize = .qword) {
        arithmetic(.sub, destination, immediate, size: size)
    }

    /// `and destination, source`: destination &= source.
    @inlinable public mutating func and(_ destination: Register, _ source: Register, size: OperandSize = .qword) {
        arithmetic(.and, destination, source, size: size)
    }

    /// `and destination, imm`: destination &= source (immediate sign-extended; one byte when it fits).
    @inlinable public mutating func and(_ destination: Register, _ immediate: Int32, size: OperandSize = .qword) {
        arithmetic(.and, destination, immediate, size: size)
    }

    /// `and destination, [memory]`: destination &= source.
    @inlinable public mutating func and(_ destination: Register, _ source: Memory, size: OperandSize = .qword) {
        arithmetic(.and, destination, source, size: size)
    }

    /// `and [memory], source`: destination &= source.
    @inlinable public mutating func and(_ destination: Memory, _ source: Register, size: OperandSize = .qword) {
        arithmetic(.and, destination, source, size: size)
    }

    /// `and [memory], imm`: destination &= source (immediate sign-extended; one byte when it fits).
    @inlinable public mutating func and(_ destination: Memory, _ immediate: Int32, size: OperandSize = .qword) {
        arithmetic(.and, destination, immediate, size: size)
    }

    /// `or destination, source`: destination |= source.
    @inlinable public mutating func or(_ destination: Register, _ source: Register, size: OperandSize = .qword) {
        arithmetic(.or, destination, source, size: size)
    }

    /// `or destination, imm`: destination |= source (immediate sign-extended; one byte when it fits).
    @inlinable public mutating func or(_ destination: Register, _ immediate: Int32, size: OperandSize = .qword) {
        arithmetic(.or, destination, immediate, size: size)
    }

    /// `or destination, [memory]`: destination |= source.
    @inlinable public mutating func or(_ destination: Register, _ source: Memory, size: OperandSize = .qword) {
        arithmetic(.or, destination, source, size: size)
    }

    /// `or [memory], source`: destination |= source.
    @inlinable public mutating func or(_ destination: Memory, _ source: Register, size: OperandSize = .qword) {
        arithmetic(.or, destination, source, size: size)
    }

    /// `or [memory], imm`: destination |= source (immediate sign-extended; one byte when it fits).
    @inlinable public mutating func or(_ destination: Memory, _ immediate: Int32, size: OperandSize = .qword) {
        arithmetic(.or, destination, immediate, size: size)
    }

    /// `xor destination, source`: destination ^= source.
    @inlinable public mutating func xor(_ destination: Register, _ source: Register, size: OperandSize = .qword) {
        arithmetic(.xor, destination, source, size: size)
    }

    /// `xor destination, imm`: destination ^= source (immediate sign-extended; one byte when it fits).
    @inlinable public mutating func xor(_ destination: Register, _ immediate: Int32, size: OperandSize = .qword) {
        arithmetic(.xor, destination, immediate, size: size)
    }

    /// `xor destination, [memory]`: destination ^= source.
    @inlinable public mutating func xor(_ destination: Register, _ source: Memory, size: OperandSize = .qword) {
        arithmetic(.xor, destination, source, size: size)
    }

    /// `xor [memory], source`: destination ^= source.
    @inlinable public mutating func xor(_ destination: Memory, _ source: Register, size: OperandSize = .qword) {
        arithmetic(.xor, destination, source, size: size)
    }

    /// `xor [memory], imm`: destination ^= source (immediate sign-extended; one byte when it fits).
    @inlinable public mutating func xor(_ destination: Memory, _ immediate: Int32, size: OperandSize = .qword) {
        arithmetic(.xor, destination, immediate, size: size)
    }

    /// `cmp destination, source`: sets flags for destination - source, discarding the result.
    @inlinable public mutating func cmp(_ destination: Register, _ source: Register, size: OperandSize = .qword) {
        arithmetic(.cmp, destination, source, size: size)
    }

    /// `cmp destination, imm`: sets flags for destination - source, discarding the result (immediate sign-extended; one byte when it fits).
    @inlinable public mutating func cmp(_ destination: Register, _ immediate: Int32, size: OperandSize = .qword) {
        arithmetic(.cmp, destination, immediate, size: size)
    }

    /// `cmp destination, [memory]`: sets flags for destination - source, discarding the result.
    @inlinable public mutating func cmp(_ destination: Register, _ source: Memory, size: OperandSize = .qword) {
        arithmetic(.cmp, destination, source, size: size)
    }

    /// `cmp [memory], source`: sets flags for destination - source, discarding the result.
    @inlinable public mutating func cmp(_ destination: Memory, _ source: Register, size: OperandSize = .qword) {
        arithmetic(.cmp, destination, source, size: size)
    }

    /// `cmp [memory], imm`: sets flags for destination - source, discarding the result (immediate sign-extended; one byte when it fits).
    @inlinable public mutating func cmp(_ destination: Memory, _ immediate: Int32, size: OperandSize = .qword) {
        arithmetic(.cmp, destination, immediate, size: size)
    }

    /// `test left, right`: sets flags for `left & right`, discarding the result.
    @inlinable public mutating func test(_ left: Register, _ right: Register, size: OperandSize = .qword) {
        emitRegisterForm(0x85, reg: right.rawValue, rm: left, wide: size.isQword)
    }

    /// `test left, imm`: sets flags for `left & imm` (immediate sign-extended), discarding the result.
    @inlinable public mutating func test(_ left: Register, _ immediate: Int32, size: OperandSize = .qword) {
        if left == .rax {
            var run = ByteRun()
            run.rex(wide: size.isQword, reg: 0, index: 0, base: 0)
            run.add(0xA9)
            run.add32(immediate)
            emit(run)
        } else {
            emitRegisterForm(0xF7, reg: 0, rm: left, wide: size.isQword, immediate: immediate, immediateSize: 4)
        }
    }

    /// `test [memory], right`: sets flags for `[memory] & right`, discarding the result.
    @inlinable public mutating func test(_ left: Memory, _ right: Register, size: OperandSize = .qword) {
        emitMemoryForm(0x85, reg: right.rawValue, memory: left, wide: size.isQword)
    }

    /// `test [memory], imm`: sets flags for `[memory] & imm` (immediate sign-extended), discarding the result.
    @inlinable public mutating func test(_ left: Memory, _ immediate: Int32, size: OperandSize = .qword) {
        emitMemoryForm(0xF7, reg: 0, memory: left, wide: size.isQword, immediate: immediate, immediateSize: 4)
    }
}
