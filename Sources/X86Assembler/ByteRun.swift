/// The bytes of one instruction (at most 16), collected in two registers-sized lanes and appended
/// to the code buffer in one step.
///
/// Appending byte by byte to an `Array` costs a uniqueness check and a capacity check per byte;
/// building the instruction in a local value first makes that one check per instruction.
@usableFromInline struct ByteRun {
    @usableFromInline var low: UInt64 = 0
    @usableFromInline var high: UInt64 = 0
    @usableFromInline var count: Int = 0

    /// The most bytes a run holds (x86 instructions are at most 15 bytes long).
    @inlinable static var capacity: Int { 16 }

    @inlinable @inline(__always) init() {}

    @inlinable @inline(__always)
    mutating func add(_ byte: UInt8) {
        if count < 8 {
            low |= UInt64(byte) &<< UInt64(count &* 8)
        } else {
            high |= UInt64(byte) &<< UInt64((count &- 8) &* 8)
        }
        count &+= 1
    }

    @inlinable @inline(__always)
    mutating func add32(_ value: Int32) {
        let bits = UInt32(bitPattern: value)
        add(UInt8(truncatingIfNeeded: bits))
        add(UInt8(truncatingIfNeeded: bits &>> 8))
        add(UInt8(truncatingIfNeeded: bits &>> 16))
        add(UInt8(truncatingIfNeeded: bits &>> 24))
    }

    @inlinable @inline(__always)
    mutating func add64(_ value: UInt64) {
        add32(Int32(truncatingIfNeeded: value))
        add32(Int32(truncatingIfNeeded: value &>> 32))
    }

    /// Adds `0100WRXB` when any bit is needed or `force` is set (byte registers spl..dil).
    @inlinable @inline(__always)
    mutating func rex(wide: Bool, reg: UInt8, index: UInt8, base: UInt8, force: Bool = false) {
        let rex: UInt8 = 0x40 | (wide ? 0x08 : 0) | ((reg & 8) &>> 1) | ((index & 8) &>> 2) | ((base & 8) &>> 3)
        if rex != 0x40 || force { add(rex) }
    }

    /// Adds a one-byte opcode, or `0F xx` for values above 0xFF.
    @inlinable @inline(__always)
    mutating func opcode(_ opcode: UInt16) {
        if opcode > 0xFF { add(0x0F) }
        add(UInt8(truncatingIfNeeded: opcode))
    }

    /// Adds the low `size` bytes (0, 1 or 4) of an immediate.
    @inlinable @inline(__always)
    mutating func immediate(_ value: Int32, size: Int) {
        if size == 1 {
            add(UInt8(truncatingIfNeeded: value))
        } else if size == 4 {
            add32(value)
        }
    }
}
