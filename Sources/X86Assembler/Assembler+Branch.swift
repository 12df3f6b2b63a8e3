// Control transfer: jumps, conditional jumps, calls, return, breakpoint.

extension Assembler {
    @inlinable
    mutating func branch(shortOpcode: UInt8, nearOpcode: UInt16, to label: Label, width: BranchWidth) {
        let start = length
        let shortLength = 2
        let boundTarget = offset(of: label)
        let useShort: Bool
        switch width {
        case .near: useShort = false
        case .short: useShort = true
        case .automatic: useShort = boundTarget.map { Int8(exactly: $0 - (start + shortLength)) != nil } ?? false
        }
        guard useShort else { return emitNear(nearOpcode, to: label) }
        var run = ByteRun()
        run.add(shortOpcode)
        if let boundTarget {
            if let displacement = Int8(exactly: boundTarget - (start + shortLength)) {
                run.add(UInt8(bitPattern: displacement))
            } else {
                record(.shortBranchOutOfRange(offset: start, label: label))
                run.add(0)
            }
        } else {
            fixups.append(LabelFixup(label: label, position: start + 1, instructionEnd: start + shortLength, addend: 0, isShort: true))
            run.add(0)
        }
        emit(run)
    }

    /// `opcode rel32` to a label.
    @inlinable
    mutating func emitNear(_ opcode: UInt16, to label: Label) {
        var run = ByteRun()
        run.opcode(opcode)
        let position = length + run.count
        run.add32(labelDisplacement(label, position: position, instructionEnd: position + 4, addend: 0))
        emit(run)
    }

    /// `opcode rel32` to an absolute address, measured from the instruction's final address.
    @inlinable
    mutating func emitNear(_ opcode: UInt16, absolute target: UInt) {
        let start = length
        var run = ByteRun()
        run.opcode(opcode)
        run.add32(relative32(to: target, instructionEnd: start + run.count + 4, instructionStart: start))
        emit(run)
    }

    /// `jmp label`.
    @inlinable public mutating func jmp(_ label: Label, width: BranchWidth = .automatic) {
        branch(shortOpcode: 0xEB, nearOpcode: 0xE9, to: label, width: width)
    }

    /// `jmp rel32` to the absolute address `target`, which must be within ±2 GiB of the code.
    @inlinable public mutating func jmp(absolute target: UInt) {
        emitNear(0xE9, absolute: target)
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
        emitNear(0x0F80 | UInt16(condition.rawValue), absolute: target)
    }

    /// `call label` (rel32).
    @inlinable public mutating func call(_ label: Label) {
        emitNear(0xE8, to: label)
    }

    /// `call rel32` to the absolute address `target`, which must be within ±2 GiB of the code
    /// (otherwise load it into a register and use ``call(_:)-(Register)``).
    @inlinable public mutating func call(absolute target: UInt) {
        emitNear(0xE8, absolute: target)
    }

    /// Calls `target` with `call rel32` when it is in reach from here, otherwise with
    /// `movabs scratch, target; call scratch` (runtime functions in the executable usually lie far
    /// from the code region). `scratch` is clobbered only in the far case; pick a caller-saved
    /// register that holds no argument, such as r11.
    @inlinable public mutating func call(absolute target: UInt, scratch: Register) {
        if canReachWithRel32(target) {
            call(absolute: target)
        } else {
            movabs(scratch, UInt64(target))
            call(scratch)
        }
    }

    /// Jumps to `target` with `jmp rel32` when it is in reach from here, otherwise with
    /// `movabs scratch, target; jmp scratch`. `scratch` is clobbered only in the far case.
    @inlinable public mutating func jmp(absolute target: UInt, scratch: Register) {
        if canReachWithRel32(target) {
            jmp(absolute: target)
        } else {
            movabs(scratch, UInt64(target))
            jmp(scratch)
        }
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
