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

    /// Empties every list (keeping capacity) and unsets the first `stackSlots` entries of `slotSource` and
    /// `lazy` (they keep any longer length of an earlier compilation: a block reads slots below its depth
    /// only). Element by element: `removeAll(keepingCapacity:)` takes the general, unspecialized
    /// replace-subrange path, which cost more than a tiny method's whole code generation step.
    mutating func prepare(stackSlots: Int) {
        recycleChunks()
        Self.unset(&slotSource, count: stackSlots, to: -1)
        Self.unset(&lazy, count: stackSlots, to: .memory)
        Self.empty(&ranges)
        Self.empty(&outlinedRanges)
        Self.empty(&branches)
        Self.empty(&returnPoints)
        Self.empty(&heldPages)
    }

    private static func unset<Element>(_ list: inout [Element], count: Int, to value: Element) {
        let reused = min(list.count, count)
        for index in 0..<reused { list[index] = value }
        for _ in reused..<count { list.append(value) }
    }

    private static func empty<Element>(_ list: inout [Element]) {
        while !list.isEmpty { list.removeLast() }
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
