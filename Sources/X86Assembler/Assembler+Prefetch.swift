// Software prefetch.

extension Assembler {
    /// `prefetcht0 byte ptr [memory]`: starts loading the line into every cache level. A hint: it never
    /// faults, whatever the address.
    @inlinable public mutating func prefetchT0(_ memory: Memory) {
        emitMemoryForm(0x0F18, reg: 1, memory: memory, wide: false)
    }
}
