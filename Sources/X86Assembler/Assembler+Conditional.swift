// Flag-consuming data instructions: conditional move and set-byte.

extension Assembler {
    /// `cmovcc destination, source`: destination = source when `condition` holds.
    /// A `.dword` cmov zeroes the upper half of `destination` even when the condition is false.
    @inlinable public mutating func cmov(_ condition: Condition, _ destination: Register, _ source: Register, size: OperandSize = .qword) {
        emitRegisterForm(0x0F40 | UInt16(condition.rawValue), reg: destination.rawValue, rm: source, wide: size.isQword)
    }

    /// `cmovcc destination, [memory]`: conditional load (the memory is read either way).
    @inlinable public mutating func cmov(_ condition: Condition, _ destination: Register, _ source: Memory, size: OperandSize = .qword) {
        emitMemoryForm(0x0F40 | UInt16(condition.rawValue), reg: destination.rawValue, memory: source, wide: size.isQword)
    }

    /// `setcc destination8`: sets the low byte of `destination` to 1 or 0; the other bytes are kept,
    /// so follow with ``movzx(_:byte:size:)`` (or zero the register before the flags are set).
    @inlinable public mutating func set(_ condition: Condition, _ destination: Register) {
        emitRegisterForm(0x0F90 | UInt16(condition.rawValue), reg: 0, rm: destination, wide: false, byteRM: true)
    }

    /// `setcc byte ptr [memory]`: stores 1 or 0.
    @inlinable public mutating func set(_ condition: Condition, _ destination: Memory) {
        emitMemoryForm(0x0F90 | UInt16(condition.rawValue), reg: 0, memory: destination, wide: false)
    }
}
