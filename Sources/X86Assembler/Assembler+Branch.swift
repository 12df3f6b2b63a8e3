// Control transfer: jumps, conditional jumps, calls, return, breakpoint.

extension Assembler {
    @inlinable
    mutating func branch(shortOpcode: UInt8, nearOpcode: UInt16, to label: Label, width: BranchWidth) {
        let start = bytes.count
        let shortLength = 2
        let boundTarget = offset(of: label)
        let useShort: Bool
        switch width {
        case .near: useShort = false
        case .short: useShort = true
        case .automatic: useShort = boundTarget.map { Int8(exactly: $0 - (start + shortLength)) != nil } ?? false
        }
        guard useShort else {
            emitOpcode(nearOpcode)
            emitLabelReference(label, instructionEnd: bytes.count + 4, addend: 0)
            return
        }
        emit(shortOpcode)
        if let boundTarget {
            if let displacement = Int8(exactly: boundTarget - (start + shortLength)) {
                emit(UInt8(bitPattern: displacement))
            } else {
                record(.shortBranchOutOfRange(offset: start, label: label))
                emit(0)
            }
        } else {
            fixups.append(LabelFixup(label: label, position: bytes.count, instructionEnd: start + shortLength, addend: 0, isShort: true))
            emit(0)
        }
    }

    /// `jmp label`.
    @inlinable public mutating func jmp(_ label: Label, width: BranchWidth = .automatic) {
        branch(shortOpcode: 0xEB, nearOpcode: 0xE9, to: label, width: width)
    }

    /// `jmp rel32` to the absolute address `target`, which must be within ±2 GiB of the code.
    @inlinable public mutating func jmp(absolute target: UInt) {
        let start = bytes.count
        emit(0xE9)
        emitRelative32(to: target, instructionEnd: start + 5, instructionStart: start)
    }

    /// `jmp register`: indirect jump.
    @inlinable public mutating func jmp(_ target: Register) {
        emitRegisterForm(0xFF, reg: 4, rm: target, wide: false)
    }

    /// `jmp qword ptr [memory]`: indirect jump through memory.
    @inlinable public mutating func jmp(_ target: Memory) {
        emitMemoryForm(0xFF, reg: 4, memory: target, wide: false)
    }

    /// `jcc label`: jumps when `condition` holds.
    @inlinable public mutating func jcc(_ condition: Condition, _ label: Label, width: BranchWidth = .automatic) {
        branch(shortOpcode: 0x70 | condition.rawValue, nearOpcode: 0x0F80 | UInt16(condition.rawValue), to: label, width: width)
    }

    /// `jcc rel32` to the absolute address `target`, which must be within ±2 GiB of the code.
    @inlinable public mutating func jcc(_ condition: Condition, absolute target: UInt) {
        let start = bytes.count
        emitOpcode(0x0F80 | UInt16(condition.rawValue))
        emitRelative32(to: target, instructionEnd: start + 6, instructionStart: start)
    }

    /// `call label` (rel32).
    @inlinable public mutating func call(_ label: Label) {
        emit(0xE8)
        emitLabelReference(label, instructionEnd: bytes.count + 4, addend: 0)
    }

    /// `call rel32` to the absolute address `target`, which must be within ±2 GiB of the code
    /// (otherwise load it into a register and use ``call(_:)-(Register)``).
    @inlinable public mutating func call(absolute target: UInt) {
        let start = bytes.count
        emit(0xE8)
        emitRelative32(to: target, instructionEnd: start + 5, instructionStart: start)
    }

    /// `call register`: indirect call.
    @inlinable public mutating func call(_ target: Register) {
        emitRegisterForm(0xFF, reg: 2, rm: target, wide: false)
    }

    /// `call qword ptr [memory]`: indirect call through memory.
    @inlinable public mutating func call(_ target: Memory) {
        emitMemoryForm(0xFF, reg: 2, memory: target, wide: false)
    }

    /// Whether a rel32 jump or call emitted at the current offset could reach `target`.
    @inlinable public func canReachWithRel32(_ target: UInt) -> Bool {
        relative32(to: target, instructionLength: 5) != nil
    }

    /// `ret`.
    @inlinable public mutating func ret() {
        emit(0xC3)
    }

    /// `int3`: breakpoint trap (also the filler of unused code memory).
    @inlinable public mutating func int3() {
        emit(0xCC)
    }
}
