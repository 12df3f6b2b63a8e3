/// What compiled code knows at the start of a block version: the operand-stack depth, and which locals
/// and stack slots hold fixnums (so their tag checks disappear). Packed into CodeGC's 64-bit block key:
/// bits 0-23 the instruction index, 24-31 the depth, 32-47 the local mask, 48-63 the stack mask.
struct TypeContext: Hashable {
    /// Locals and stack slots at or above this index are never tracked.
    static let trackedSlots = 16

    var depth: Int
    var fixnumLocals: UInt16 = 0
    var fixnumStack: UInt16 = 0

    func key(pc: Int) -> UInt64 {
        UInt64(pc & 0xFF_FFFF) | UInt64(depth & 0xFF) << 24 | UInt64(fixnumLocals) << 32 | UInt64(fixnumStack) << 48
    }

    static func decode(_ key: UInt64) -> (pc: Int, context: TypeContext) {
        let context = TypeContext(depth: Int((key >> 24) & 0xFF), fixnumLocals: UInt16(truncatingIfNeeded: key >> 32),
                                  fixnumStack: UInt16(truncatingIfNeeded: key >> 48))
        return (Int(key & 0xFF_FFFF), context)
    }

    /// The same depth with nothing known (what versions fall back to past the version limit).
    var generic: TypeContext { TypeContext(depth: depth) }

    func isFixnumLocal(_ i: Int) -> Bool { i < Self.trackedSlots && fixnumLocals & (1 << i) != 0 }
    func isFixnumSlot(_ i: Int) -> Bool { i >= 0 && i < Self.trackedSlots && fixnumStack & (1 << i) != 0 }

    mutating func setLocal(_ i: Int, fixnum: Bool) {
        guard i < Self.trackedSlots else { return }
        if fixnum { fixnumLocals |= 1 << i } else { fixnumLocals &= ~(1 << i) }
    }

    mutating func setSlot(_ i: Int, fixnum: Bool) {
        guard i >= 0 && i < Self.trackedSlots else { return }
        if fixnum { fixnumStack |= 1 << i } else { fixnumStack &= ~(1 << i) }
    }

    /// Pushes a slot of known (or unknown) type.
    mutating func push(fixnum: Bool) {
        setSlot(depth, fixnum: fixnum)
        depth += 1
    }

    mutating func pop(_ n: Int = 1) {
        for _ in 0..<n {
            depth -= 1
            setSlot(depth, fixnum: false)
        }
    }
}
