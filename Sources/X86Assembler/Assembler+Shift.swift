// Shifts (group 2: the ModRM /digit selects shl=4, shr=5, sar=7).

extension Assembler {
    @inlinable
    mutating func shift(extension digit: UInt8, _ destination: Register, _ count: ShiftCount, size: OperandSize) {
        switch count {
        case .cl:
            emitRegisterForm(0xD3, reg: digit, rm: destination, wide: size.isQword)
        case .immediate(1):
            // Shift-by-one has its own opcode without an immediate.
            emitRegisterForm(0xD1, reg: digit, rm: destination, wide: size.isQword)
        case .immediate(let amount):
            emitRegisterForm(0xC1, reg: digit, rm: destination, wide: size.isQword, immediate: Int32(amount), immediateSize: 1)
        }
    }

    /// `shl destination, count`: logical (= arithmetic) shift left.
    @inlinable public mutating func shl(_ destination: Register, _ count: ShiftCount, size: OperandSize = .qword) {
        shift(extension: 4, destination, count, size: size)
    }

    /// `shr destination, count`: logical shift right (zero fill).
    @inlinable public mutating func shr(_ destination: Register, _ count: ShiftCount, size: OperandSize = .qword) {
        shift(extension: 5, destination, count, size: size)
    }

    /// `sar destination, count`: arithmetic shift right (sign fill).
    @inlinable public mutating func sar(_ destination: Register, _ count: ShiftCount, size: OperandSize = .qword) {
        shift(extension: 7, destination, count, size: size)
    }
}
