// The byte-level pieces every instruction is built from: REX prefix, opcode, ModRM, SIB,
// displacement and immediates. Opcodes are passed as UInt16: values above 0xFF are two-byte
// opcodes whose first byte is the 0x0F escape (0x0FAF is `imul r, r/m`). Each helper builds a whole
// instruction in a `ByteRun` and appends it once.

extension Assembler {
    /// Appends a finished instruction.
    @inlinable @inline(__always)
    mutating func emit(_ run: ByteRun) {
        if length &+ ByteRun.capacity > storage.count { growStorage(toHold: ByteRun.capacity) }
        let position = length
        // Both lanes are stored whole; bytes past `run.count` land in the slack and are overwritten later.
        storage.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: run.low.littleEndian, toByteOffset: position, as: UInt64.self)
            raw.storeBytes(of: run.high.littleEndian, toByteOffset: position &+ 8, as: UInt64.self)
        }
        length = position &+ run.count
    }

    /// Appends a one-byte instruction.
    @inlinable @inline(__always)
    mutating func emit(_ byte: UInt8) {
        var run = ByteRun()
        run.add(byte)
        emit(run)
    }

    /// Appends arbitrary bytes (data, long padding).
    @inlinable
    mutating func emit(contentsOf data: [UInt8]) {
        guard !data.isEmpty else { return }
        if length + data.count + ByteRun.capacity > storage.count { growStorage(toHold: data.count + ByteRun.capacity) }
        let position = length
        storage.withUnsafeMutableBytes { raw in
            data.withUnsafeBytes { source in
                raw.baseAddress!.advanced(by: position).copyMemory(from: source.baseAddress!, byteCount: source.count)
            }
        }
        length = position + data.count
    }

    /// Makes room for `extra` more bytes past `length`, at least doubling the store (rare, so not inlined).
    @usableFromInline
    mutating func growStorage(toHold extra: Int) {
        let needed = length + extra
        let newCount = max(storage.count * 2, needed)
        storage.append(contentsOf: repeatElement(0xCC, count: newCount - storage.count))
    }

    @inlinable @inline(__always)
    mutating func emit64(_ value: UInt64) {
        var run = ByteRun()
        run.add64(value)
        emit(run)
    }

    @inlinable
    mutating func write32(_ value: Int32, at position: Int) {
        precondition(position >= 0 && position + 4 <= length, "fixup outside the code")
        storage.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: UInt32(bitPattern: value).littleEndian, toByteOffset: position, as: UInt32.self)
        }
    }

    /// `opcode` with ModRM mod=11, then an immediate of `immediateSize` bytes (0, 1 or 4).
    /// `reg` is a register number or an opcode extension (/digit).
    @inlinable
    mutating func emitRegisterForm(
        _ opcode: UInt16, reg: UInt8, rm: Register, wide: Bool, byteRM: Bool = false,
        immediate: Int32 = 0, immediateSize: Int = 0
    ) {
        var run = ByteRun()
        run.rex(wide: wide, reg: reg, index: 0, base: rm.rawValue, force: byteRM && rm.byteFormNeedsREX)
        run.opcode(opcode)
        run.add(0xC0 | (reg & 7) << 3 | rm.low3)
        run.immediate(immediate, size: immediateSize)
        emit(run)
    }

    /// `opcode` with a memory ModRM operand, then an immediate of `immediateSize` bytes (0, 1 or 4),
    /// which RIP-relative displacements must count because they are measured from the instruction's end.
    /// `forceREX` makes a byte register in the reg field mean spl/bpl/sil/dil rather than ah/ch/dh/bh.
    @inlinable
    mutating func emitMemoryForm(
        _ opcode: UInt16, reg: UInt8, memory: Memory, wide: Bool,
        immediate: Int32 = 0, immediateSize: Int = 0, forceREX: Bool = false
    ) {
        let regBits = (reg & 7) << 3
        let displacement = memory.displacement
        var run = ByteRun()
        switch memory.addressing {
        case .base(let base):
            run.rex(wide: wide, reg: reg, index: 0, base: base.rawValue, force: forceREX)
            run.opcode(opcode)
            let mod = Self.displacementMod(displacement, base: base)
            if base.low3 == 4 {
                // rm=100 means "SIB follows"; SIB with index=100 means "no index".
                run.add(mod << 6 | regBits | 4)
                run.add(0x24)
            } else {
                run.add(mod << 6 | regBits | base.low3)
            }
            run.displacement(displacement, mod: mod)
        case .baseIndex(let base, let index, let scale):
            if index == .rsp { record(.invalidIndexRegister(offset: length)) }
            run.rex(wide: wide, reg: reg, index: index.rawValue, base: base.rawValue, force: forceREX)
            run.opcode(opcode)
            let mod = Self.displacementMod(displacement, base: base)
            run.add(mod << 6 | regBits | 4)
            run.add(scale.rawValue << 6 | index.low3 << 3 | base.low3)
            run.displacement(displacement, mod: mod)
        case .ripLabel(let label):
            run.rex(wide: wide, reg: reg, index: 0, base: 0, force: forceREX)
            run.opcode(opcode)
            run.add(regBits | 5)
            let position = length + run.count
            run.add32(labelDisplacement(label, position: position, instructionEnd: position + 4 + immediateSize, addend: Int(displacement)))
        case .ripAbsolute(let target):
            let start = length
            run.rex(wide: wide, reg: reg, index: 0, base: 0, force: forceREX)
            run.opcode(opcode)
            run.add(regBits | 5)
            run.add32(relative32(to: target, instructionEnd: start + run.count + 4 + immediateSize, instructionStart: start))
        }
        run.immediate(immediate, size: immediateSize)
        emit(run)
    }

    /// ModRM `mod` for a base register: 0 = no displacement, 1 = disp8, 2 = disp32.
    /// rbp/r13 with mod 0 would mean RIP-relative / no base, so they always carry a displacement.
    @inlinable @inline(__always)
    static func displacementMod(_ displacement: Int32, base: Register) -> UInt8 {
        if displacement == 0 && base.low3 != 5 { return 0 }
        return Int8(exactly: displacement) != nil ? 1 : 2
    }

    /// The 4-byte displacement to `label` for a field at `position`: final when the label is bound,
    /// otherwise 0 and a fixup for `finalize()`.
    @inlinable
    mutating func labelDisplacement(_ label: Label, position: Int, instructionEnd: Int, addend: Int) -> Int32 {
        if let target = offset(of: label), let displacement = Int32(exactly: target + addend - instructionEnd) {
            return displacement
        }
        fixups.append(LabelFixup(label: label, position: position, instructionEnd: instructionEnd, addend: addend, isShort: false))
        return 0
    }

    /// The 4-byte displacement from the end of an instruction (at its final address) to `target`;
    /// 0 and a recorded error when `target` is out of reach.
    @inlinable
    mutating func relative32(to target: UInt, instructionEnd: Int, instructionStart: Int) -> Int32 {
        let from = baseAddress &+ UInt(instructionEnd)
        // Wrapping subtraction reinterpreted as signed is exact for user-space (47-bit) addresses.
        if let displacement = Int32(exactly: Int(bitPattern: target &- from)) {
            return displacement
        }
        record(.targetOutOfRange(offset: instructionStart, target: target))
        return 0
    }

    /// The distance from the end of an instruction at the current offset to `target`, if it fits in 32 bits.
    @inlinable
    func relative32(to target: UInt, instructionLength: Int) -> Int32? {
        let from = baseAddress &+ UInt(length + instructionLength)
        return Int32(exactly: Int(bitPattern: target &- from))
    }
}

extension ByteRun {
    /// Adds the displacement a ModRM `mod` calls for.
    @inlinable @inline(__always)
    mutating func displacement(_ value: Int32, mod: UInt8) {
        if mod == 1 {
            add(UInt8(truncatingIfNeeded: value))
        } else if mod == 2 {
            add32(value)
        }
    }
}
