// No-ops, alignment and raw data.

extension Assembler {
    /// The longest single no-op instruction `nop(_:)` uses (the same limit llvm-mc's `.nops` uses).
    @usableFromInline static var longestNop: Int { 10 }

    /// One recommended no-op instruction of `length` (1...10) bytes, little-endian: `nop`, `xchg ax, ax`,
    /// then `nop dword ptr [...]` with growing ModRM/SIB/displacement and operand-size/CS prefixes.
    @inlinable static func nopInstruction(length: Int) -> ByteRun {
        var run = ByteRun()
        switch length {
        case 1: run.low = 0x90
        case 2: run.low = 0x90_66
        case 3: run.low = 0x00_1F_0F
        case 4: run.low = 0x00_40_1F_0F
        case 5: run.low = 0x00_00_44_1F_0F
        case 6: run.low = 0x00_00_44_1F_0F_66
        case 7: run.low = 0x00_00_00_00_80_1F_0F
        case 8: run.low = 0x00_00_00_00_00_84_1F_0F
        case 9: run.low = 0x00_00_00_00_84_1F_0F_66  // ninth byte (high lane) is 0x00
        default: run.low = 0x00_00_00_84_1F_0F_2E_66  // 10 bytes; bytes 9 and 10 are 0x00
        }
        run.count = length
        return run
    }

    /// Emits `length` bytes of no-ops using as few instructions as possible (at most 10 bytes each).
    /// A length of zero or less emits nothing; more than 4096 bytes is reported by `finalize()`
    /// (padding longer than a page is a bug, not a request).
    @inlinable public mutating func nop(_ length: Int = 1) {
        guard length <= 4096 else { return record(.invalidPadding(length)) }
        var remaining = length
        while remaining > 0 {
            let chunk = min(remaining, Self.longestNop)
            emit(Self.nopInstruction(length: chunk))
            remaining -= chunk
        }
    }

    /// Pads with no-ops until the current *address* is a multiple of `alignment`
    /// (a power of two from 1 to 4096; anything else is reported by `finalize()`).
    @inlinable public mutating func alignWithNops(to alignment: Int) {
        guard alignment > 0, alignment <= 4096, alignment & (alignment - 1) == 0 else {
            return record(.invalidAlignment(alignment))
        }
        nop(Self.padding(from: currentAddress, to: alignment))
    }

    /// Bytes needed to advance `address` to the next multiple of the power of two `alignment`.
    @inlinable static func padding(from address: UInt, to alignment: Int) -> Int {
        Int(truncatingIfNeeded: (0 &- address) & UInt(alignment - 1))
    }

    /// Appends raw bytes (constants, jump tables).
    @inlinable public mutating func emitBytes(_ data: [UInt8]) {
        emit(contentsOf: data)
    }

    /// Appends a little-endian 64-bit value (an inline constant for a RIP-relative load).
    @inlinable public mutating func emitUInt64(_ value: UInt64) {
        emit64(value)
    }
}
