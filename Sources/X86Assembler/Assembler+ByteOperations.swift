// The few 8-bit operations a JIT uses for tag bits, type bytes and flags: they are shorter than the
// 64-bit forms (`test dil, 1` is 4 bytes, `test rdi, 1` is 7) and touch only one byte of memory.
// The byte registers spl, bpl, sil and dil need a REX prefix to be addressable at all.

extension Assembler {
    /// `test left8, imm8`: sets flags for `low byte of left & immediate` (e.g. a tag-bit check).
    @inlinable public mutating func test(_ left: Register, byte immediate: UInt8) {
        if left == .rax {
            var run = ByteRun()
            run.add(0xA8)
            run.add(immediate)
            emit(run)
        } else {
            emitRegisterForm(0xF6, reg: 0, rm: left, wide: false, byteRM: true, immediate: Int32(immediate), immediateSize: 1)
        }
    }

    /// `test byte ptr [memory], imm8`.
    @inlinable public mutating func test(_ left: Memory, byte immediate: UInt8) {
        emitMemoryForm(0xF6, reg: 0, memory: left, wide: false, immediate: Int32(immediate), immediateSize: 1)
    }

    /// `cmp left8, imm8`: sets flags for `low byte of left - immediate`.
    @inlinable public mutating func cmp(_ left: Register, byte immediate: UInt8) {
        if left == .rax {
            var run = ByteRun()
            run.add(0x3C)
            run.add(immediate)
            emit(run)
        } else {
            emitRegisterForm(0x80, reg: ArithmeticOperation.cmp.rawValue, rm: left, wide: false, byteRM: true,
                             immediate: Int32(immediate), immediateSize: 1)
        }
    }

    /// `cmp byte ptr [memory], imm8` (e.g. an object's type byte).
    @inlinable public mutating func cmp(_ left: Memory, byte immediate: UInt8) {
        emitMemoryForm(0x80, reg: ArithmeticOperation.cmp.rawValue, memory: left, wide: false,
                       immediate: Int32(immediate), immediateSize: 1)
    }

    /// `mov byte ptr [memory], source8`: stores the low byte of `source`.
    @inlinable public mutating func mov(_ destination: Memory, byte source: Register) {
        emitMemoryForm(0x88, reg: source.rawValue, memory: destination, wide: false, forceREX: source.byteFormNeedsREX)
    }

    /// `mov byte ptr [memory], imm8`.
    @inlinable public mutating func mov(_ destination: Memory, byte immediate: UInt8) {
        emitMemoryForm(0xC6, reg: 0, memory: destination, wide: false, immediate: Int32(immediate), immediateSize: 1)
    }
}
