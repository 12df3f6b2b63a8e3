// The byte-level pieces every instruction is built from: REX prefix, opcode, ModRM, SIB,
// displacement and immediates. Opcodes are passed as UInt16: values above 0xFF are two-byte
// opcodes whose first byte is the 0x0F escape (0x0FAF is `imul r, r/m`).

extension Assembler {
    @inlinable @inline(__always)
    mutating func emit(_ byte: UInt8) {
        bytes.append(byte)
    }

    @inlinable @inline(__always)
    mutating func emit32(_ value: Int32) {
        let bits = UInt32(bitPattern: value)
        bytes.append(UInt8(truncatingIfNeeded: bits))
        bytes.append(UInt8(truncatingIfNeeded: bits >> 8))
        bytes.append(UInt8(truncatingIfNeeded: bits >> 16))
        bytes.append(UInt8(truncatingIfNeeded: bits >> 24))
    }

    @inlinable @inline(__always)
    mutating func emit64(_ value: UInt64) {
        emit32(Int32(truncatingIfNeeded: value))
        emit32(Int32(truncatingIfNeeded: value >> 32))
    }

    @inlinable
    mutating func write32(_ value: Int32, at position: Int) {
        let bits = UInt32(bitPattern: value)
        bytes[position] = UInt8(truncatingIfNeeded: bits)
        bytes[position + 1] = UInt8(truncatingIfNeeded: bits >> 8)
        bytes[position + 2] = UInt8(truncatingIfNeeded: bits >> 16)
        bytes[position + 3] = UInt8(truncatingIfNeeded: bits >> 24)
    }

    /// Emits `0100WRXB` when any bit is needed or `force` is set (byte registers spl..dil).
    @inlinable @inline(__always)
    mutating func emitREX(wide: Bool, reg: UInt8, index: UInt8, base: UInt8, force: Bool = false) {
        let rex: UInt8 = 0x40 | (wide ? 0x08 : 0) | ((reg & 8) >> 1) | ((index & 8) >> 2) | ((base & 8) >> 3)
        if rex != 0x40 || force { emit(rex) }
    }

    @inlinable @inline(__always)
    mutating func emitOpcode(_ opcode: UInt16) {
        if opcode > 0xFF { emit(0x0F) }
        emit(UInt8(truncatingIfNeeded: opcode))
    }

    /// `opcode` with ModRM mod=11: `reg` is a register number or an opcode extension (/digit).
    @inlinable
    mutating func emitRegisterForm(_ opcode: UInt16, reg: UInt8, rm: Register, wide: Bool, byteRM: Bool = false) {
        emitREX(wide: wide, reg: reg, index: 0, base: rm.rawValue, force: byteRM && rm.byteFormNeedsREX)
        emitOpcode(opcode)
        emit(0xC0 | (reg & 7) << 3 | rm.low3)
    }

    /// `opcode` with a memory ModRM operand. `immediateSize` is the number of immediate bytes that
    /// follow, needed because RIP-relative displacements count from the end of the instruction.
    /// `forceREX` makes a byte register in the reg field mean spl/bpl/sil/dil rather than ah/ch/dh/bh.
    @inlinable
    mutating func emitMemoryForm(_ opcode: UInt16, reg: UInt8, memory: Memory, wide: Bool, immediateSize: Int = 0, forceREX: Bool = false) {
        let regBits = (reg & 7) << 3
        let displacement = memory.displacement
        switch memory.addressing {
        case .base(let base):
            emitREX(wide: wide, reg: reg, index: 0, base: base.rawValue, force: forceREX)
            emitOpcode(opcode)
            let mod = Self.displacementMod(displacement, base: base)
            if base.low3 == 4 {
                // rm=100 means "SIB follows"; SIB with index=100 means "no index".
                emit(mod << 6 | regBits | 4)
                emit(0x24)
            } else {
                emit(mod << 6 | regBits | base.low3)
            }
            emitDisplacement(displacement, mod: mod)
        case .baseIndex(let base, let index, let scale):
            if index == .rsp { record(.invalidIndexRegister(offset: bytes.count)) }
            emitREX(wide: wide, reg: reg, index: index.rawValue, base: base.rawValue, force: forceREX)
            emitOpcode(opcode)
            let mod = Self.displacementMod(displacement, base: base)
            emit(mod << 6 | regBits | 4)
            emit(scale.rawValue << 6 | index.low3 << 3 | base.low3)
            emitDisplacement(displacement, mod: mod)
        case .ripLabel(let label):
            emitREX(wide: wide, reg: reg, index: 0, base: 0, force: forceREX)
            emitOpcode(opcode)
            emit(regBits | 5)
            emitLabelReference(label, instructionEnd: bytes.count + 4 + immediateSize, addend: Int(displacement))
        case .ripAbsolute(let target):
            let start = bytes.count
            emitREX(wide: wide, reg: reg, index: 0, base: 0, force: forceREX)
            emitOpcode(opcode)
            emit(regBits | 5)
            emitRelative32(to: target, instructionEnd: bytes.count + 4 + immediateSize, instructionStart: start)
        }
    }

    /// ModRM `mod` for a base register: 0 = no displacement, 1 = disp8, 2 = disp32.
    /// rbp/r13 with mod 0 would mean RIP-relative / no base, so they always carry a displacement.
    @inlinable @inline(__always)
    static func displacementMod(_ displacement: Int32, base: Register) -> UInt8 {
        if displacement == 0 && base.low3 != 5 { return 0 }
        return Int8(exactly: displacement) != nil ? 1 : 2
    }

    @inlinable @inline(__always)
    mutating func emitDisplacement(_ displacement: Int32, mod: UInt8) {
        if mod == 1 {
            emit(UInt8(truncatingIfNeeded: displacement))
        } else if mod == 2 {
            emit32(displacement)
        }
    }

    /// A 4-byte displacement to a label: written now when the label is bound, else by `finalize()`.
    @inlinable
    mutating func emitLabelReference(_ label: Label, instructionEnd: Int, addend: Int) {
        let position = bytes.count
        if let target = offset(of: label), let displacement = Int32(exactly: target + addend - instructionEnd) {
            emit32(displacement)
        } else {
            fixups.append(LabelFixup(label: label, position: position, instructionEnd: instructionEnd, addend: addend, isShort: false))
            emit32(0)
        }
    }

    /// A 4-byte displacement from the end of this instruction (at its final address) to `target`.
    @inlinable
    mutating func emitRelative32(to target: UInt, instructionEnd: Int, instructionStart: Int) {
        let from = baseAddress &+ UInt(instructionEnd)
        // Wrapping subtraction reinterpreted as signed is exact for user-space (47-bit) addresses.
        let distance = Int(bitPattern: target &- from)
        if let displacement = Int32(exactly: distance) {
            emit32(displacement)
        } else {
            record(.targetOutOfRange(offset: instructionStart, target: target))
            emit32(0)
        }
    }

    /// The distance from the end of an instruction at the current offset to `target`, if it fits in 32 bits.
    @inlinable
    func relative32(to target: UInt, instructionLength: Int) -> Int32? {
        let from = baseAddress &+ UInt(bytes.count + instructionLength)
        return Int32(exactly: Int(bitPattern: target &- from))
    }
}
