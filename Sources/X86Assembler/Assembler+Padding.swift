// No-ops, alignment and raw data.

extension Assembler {
    /// The recommended single-instruction nops of 1 to 10 bytes (`nop`, `xchg ax, ax`, `nop dword ptr [...]`
    /// with growing ModRM/SIB/displacement, then operand-size and CS prefixes), indexed by length - 1.
    @usableFromInline static let nopSequences: [[UInt8]] = [
        [0x90],
        [0x66, 0x90],
        [0x0F, 0x1F, 0x00],
        [0x0F, 0x1F, 0x40, 0x00],
        [0x0F, 0x1F, 0x44, 0x00, 0x00],
        [0x66, 0x0F, 0x1F, 0x44, 0x00, 0x00],
        [0x0F, 0x1F, 0x80, 0x00, 0x00, 0x00, 0x00],
        [0x0F, 0x1F, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
        [0x66, 0x0F, 0x1F, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
        [0x66, 0x2E, 0x0F, 0x1F, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
    ]

    /// Emits `length` bytes of no-ops using as few instructions as possible (at most 10 bytes each).
    /// A length of zero or less emits nothing.
    @inlinable public mutating func nop(_ length: Int = 1) {
        var remaining = length
        while remaining > 0 {
            let chunk = min(remaining, Self.nopSequences.count)
            bytes.append(contentsOf: Self.nopSequences[chunk - 1])
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
        bytes.append(contentsOf: data)
    }

    /// Appends a little-endian 64-bit value (an inline constant for a RIP-relative load).
    @inlinable public mutating func emitUInt64(_ value: UInt64) {
        emit64(value)
    }
}
