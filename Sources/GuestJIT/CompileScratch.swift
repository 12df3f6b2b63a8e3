import X86Assembler

/// The working buffers of one block compilation, kept by the JIT between compilations.
///
/// A churn of `def`s compiles one tiny block per definition; building each compiler's lists, its two
/// assemblers' code buffers and its stack-slot table afresh cost about a tenth of such a compilation in
/// malloc, free and reference counting. A compilation borrows the JIT's scratch (``BlockCompiler/init``
/// swaps it in after ``prepare(stackSlots:)`` emptied it) and hands it back when done
/// (``BlockCompiler/finish(into:)``), so buffers keep their capacity and nothing of one compilation is
/// seen by the next.
struct CompileScratch {
    /// Stack slot -> the local it is a copy of (-1 none); ``prepare(stackSlots:)`` sizes and clears it.
    var slotSource: [Int] = []
    /// Stack slot -> written or pending (see `LazySlot`); ``prepare(stackSlots:)`` sizes and clears it.
    var lazy: [LazySlot] = []
    /// The chunks of the compilation in progress.
    var chunks: [BlockCompiler.Chunk] = []
    /// Chunks of finished compilations: their assemblers' buffers and exit lists, reset before reuse.
    var spareChunks: [BlockCompiler.Chunk] = []
    var ranges: [Range<UInt>] = []
    var outlinedRanges: [Range<UInt>] = []
    var branches: [(BlockCompiler.PendingBranch, chunkIndex: Int)] = []
    var returnPoints: [BlockCompiler.PendingReturnPoint] = []
    var heldPages: [Int] = []

    /// Spare chunks kept at most (a block rarely spans more than two pages).
    static let spareChunkLimit = 4

    /// Empties every list (keeping capacity) and fills `slotSource` and `lazy` with `stackSlots` unset entries.
    mutating func prepare(stackSlots: Int) {
        recycleChunks()
        slotSource.removeAll(keepingCapacity: true)
        for _ in 0..<stackSlots { slotSource.append(-1) }
        lazy.removeAll(keepingCapacity: true)
        for _ in 0..<stackSlots { lazy.append(.memory) }
        ranges.removeAll(keepingCapacity: true)
        outlinedRanges.removeAll(keepingCapacity: true)
        branches.removeAll(keepingCapacity: true)
        returnPoints.removeAll(keepingCapacity: true)
        heldPages.removeAll(keepingCapacity: true)
    }

    /// Moves the chunks to the spares (moved, not copied: their buffers stay uniquely referenced).
    mutating func recycleChunks() {
        while let chunk = chunks.popLast() {
            guard spareChunks.count < Self.spareChunkLimit else { continue }
            spareChunks.append(chunk)
        }
    }

    /// A chunk for `page` whose assemblers start at the given addresses: a spare one reset, else a new one.
    mutating func takeChunk(page: Int, inlineAddress: UInt, outlinedAddress: UInt) -> BlockCompiler.Chunk {
        guard var chunk = spareChunks.popLast() else {
            return BlockCompiler.Chunk(page: page,
                                       inline: Assembler(baseAddress: inlineAddress, capacity: 512),
                                       outlined: Assembler(baseAddress: outlinedAddress, capacity: 512))
        }
        chunk.page = page
        chunk.inline.reset(baseAddress: inlineAddress)
        chunk.outlined.reset(baseAddress: outlinedAddress)
        chunk.exits.removeAll(keepingCapacity: true)
        return chunk
    }
}
