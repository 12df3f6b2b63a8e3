/// A memory operand: `[base + index*scale + displacement]` or RIP-relative `[rip + target]`.
///
/// The assembler picks the shortest encoding: no displacement when it is zero (except for rbp/r13
/// bases, which always need one), a one-byte displacement when it fits, four bytes otherwise, and a
/// SIB byte whenever rsp/r12 is the base or an index is present.
public struct Memory: Sendable {
    @usableFromInline enum Addressing: Sendable {
        case base(Register)
        case baseIndex(Register, Register, Scale)
        /// `[rip + label + displacement]`, resolved by `finalize()`.
        case ripLabel(Label)
        /// `[rip + (target - address of next instruction)]`, resolved when emitted.
        case ripAbsolute(UInt)
    }

    @usableFromInline let addressing: Addressing
    @usableFromInline let displacement: Int32

    @inlinable init(addressing: Addressing, displacement: Int32) {
        self.addressing = addressing
        self.displacement = displacement
    }

    /// `[base + displacement]`.
    @inlinable public init(base: Register, displacement: Int32 = 0) {
        self.init(addressing: .base(base), displacement: displacement)
    }

    /// `[base + index*scale + displacement]`. `index` must not be rsp (the hardware has no such form;
    /// the assembler reports ``AssemblerError/invalidIndexRegister(offset:)``).
    @inlinable public init(base: Register, index: Register, scale: Scale = .x1, displacement: Int32 = 0) {
        self.init(addressing: .baseIndex(base, index, scale), displacement: displacement)
    }

    /// `[rip + label + displacement]`: the address of `label` (plus `displacement`) in the same code.
    @inlinable public static func rip(_ label: Label, displacement: Int32 = 0) -> Memory {
        Memory(addressing: .ripLabel(label), displacement: displacement)
    }

    /// `[rip + ...]` addressing the absolute address `target`, which must lie within ±2 GiB of the
    /// instruction (otherwise ``AssemblerError/targetOutOfRange(offset:target:)``).
    @inlinable public static func rip(absolute target: UInt) -> Memory {
        Memory(addressing: .ripAbsolute(target), displacement: 0)
    }
}
