// Data movement: mov in all its forms, movabs, lea and zero-extending loads.

extension Assembler {
    /// `mov destination, source` between registers. A `.dword` move zeroes the upper 32 bits.
    @inlinable public mutating func mov(_ destination: Register, _ source: Register, size: OperandSize = .qword) {
        emitRegisterForm(0x89, reg: source.rawValue, rm: destination, wide: size.isQword)
    }

    /// `mov destination, imm32`. For `.qword` the immediate is sign-extended to 64 bits (7 bytes,
    /// `C7 /0`); for `.dword` it fills the low half and zeroes the upper one (5-6 bytes, `B8+r`).
    /// ``loadImmediate(_:_:)`` picks the shortest form for any 64-bit value.
    @inlinable public mutating func mov(_ destination: Register, _ immediate: Int32, size: OperandSize = .qword) {
        if size.isQword {
            emitRegisterForm(0xC7, reg: 0, rm: destination, wide: true, immediate: immediate, immediateSize: 4)
        } else {
            var run = ByteRun()
            run.rex(wide: false, reg: 0, index: 0, base: destination.rawValue)
            run.add(0xB8 | destination.low3)
            run.add32(immediate)
            emit(run)
        }
    }

    /// `movabs destination, imm64`: loads a full 64-bit immediate (10 bytes).
    @inlinable public mutating func movabs(_ destination: Register, _ immediate: UInt64) {
        var run = ByteRun()
        run.rex(wide: true, reg: 0, index: 0, base: destination.rawValue)
        run.add(0xB8 | destination.low3)
        run.add64(immediate)
        emit(run)
    }

    /// Loads `value` into `destination` with the shortest `mov`: 32-bit `mov` for values that
    /// zero-extend, sign-extended `mov r64, imm32` for small negatives, `movabs` otherwise.
    /// Flags are not touched.
    @inlinable public mutating func loadImmediate(_ destination: Register, _ value: UInt64) {
        if value <= UInt64(UInt32.max) {
            mov(destination, Int32(bitPattern: UInt32(truncatingIfNeeded: value)), size: .dword)
        } else if let signed = Int32(exactly: Int64(bitPattern: value)) {
            mov(destination, signed, size: .qword)
        } else {
            movabs(destination, value)
        }
    }

    /// `mov destination, [memory]`: load.
    @inlinable public mutating func mov(_ destination: Register, _ source: Memory, size: OperandSize = .qword) {
        emitMemoryForm(0x8B, reg: destination.rawValue, memory: source, wide: size.isQword)
    }

    /// `mov [memory], source`: store.
    @inlinable public mutating func mov(_ destination: Memory, _ source: Register, size: OperandSize = .qword) {
        emitMemoryForm(0x89, reg: source.rawValue, memory: destination, wide: size.isQword)
    }

    /// `mov [memory], imm32`: store an immediate (sign-extended to 64 bits for `.qword`).
    @inlinable public mutating func mov(_ destination: Memory, _ immediate: Int32, size: OperandSize = .qword) {
        emitMemoryForm(0xC7, reg: 0, memory: destination, wide: size.isQword, immediate: immediate, immediateSize: 4)
    }

    /// `lea destination, [memory]`: the address of `memory`, without accessing it.
    /// With `Memory.rip(label)` this materializes the address of a label.
    @inlinable public mutating func lea(_ destination: Register, _ source: Memory, size: OperandSize = .qword) {
        emitMemoryForm(0x8D, reg: destination.rawValue, memory: source, wide: size.isQword)
    }

    /// `movzx destination, byte source`: zero-extends the low byte of `source` (al, ..., spl, sil, r8b, ...).
    /// A `.dword` destination already clears the upper 32 bits, so it is the default.
    @inlinable public mutating func movzx(_ destination: Register, byte source: Register, size: OperandSize = .dword) {
        var run = ByteRun()
        run.rex(wide: size.isQword, reg: destination.rawValue, index: 0, base: source.rawValue, force: source.byteFormNeedsREX)
        run.opcode(0x0FB6)
        run.add(0xC0 | destination.low3 << 3 | source.low3)
        emit(run)
    }

    /// `movzx destination, word source`: zero-extends the low 16 bits of `source`.
    @inlinable public mutating func movzx(_ destination: Register, word source: Register, size: OperandSize = .dword) {
        emitRegisterForm(0x0FB7, reg: destination.rawValue, rm: source, wide: size.isQword)
    }

    /// `movzx destination, byte ptr [memory]`: zero-extending byte load.
    @inlinable public mutating func movzx(_ destination: Register, byte source: Memory, size: OperandSize = .dword) {
        emitMemoryForm(0x0FB6, reg: destination.rawValue, memory: source, wide: size.isQword)
    }

    /// `movzx destination, word ptr [memory]`: zero-extending 16-bit load.
    @inlinable public mutating func movzx(_ destination: Register, word source: Memory, size: OperandSize = .dword) {
        emitMemoryForm(0x0FB7, reg: destination.rawValue, memory: source, wide: size.isQword)
    }
}
