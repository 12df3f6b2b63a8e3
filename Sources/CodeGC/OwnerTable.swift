/// Per-owner state: entry blocks, code counts and the entry counter the eviction policy reads.
struct OwnerRecord {
    var id: CodeOwnerID
    /// Usually one (the method's entry block): kept inline, no allocation per owner.
    var entries = InlineList<BlockID>()
    /// Blocks of this owner whose metadata is not freed.
    var blockCount = 0
    /// Counter slot (index into `EntryCounters`).
    var counterSlot: Int
    /// Counter value seen at the last collection.
    var lastSeenCount: UInt64 = 0
    /// `ActivityClock` time at which the counter was last seen moving (or the owner was created).
    var lastActiveCollection: Int

    var footprint: Int {
        MemoryLayout<OwnerRecord>.stride + entries.spilledBytes
    }
}

/// Stable storage for per-owner entry counters: chunks are never moved or freed while the table lives, so
/// JIT code and the client may keep raw pointers and bump a counter with one `inc` instruction.
final class EntryCounters {
    private static let chunkSize = 1024
    // Every call is serialized by the collector's client (see ``CodeGC``); unchecked like `CodeGC.store`,
    // as each compilation and each freed owner pays for the dynamic checks otherwise.
    @exclusivity(unchecked) private var chunks: [UnsafeMutablePointer<UInt64>] = []
    @exclusivity(unchecked) private var freeSlots: [Int] = []
    @exclusivity(unchecked) private var nextSlot = 0

    func allocate() -> Int {
        if let slot = freeSlots.popLast() { return slot }
        if nextSlot == chunks.count * Self.chunkSize {
            let chunk = UnsafeMutablePointer<UInt64>.allocate(capacity: Self.chunkSize)
            chunk.initialize(repeating: 0, count: Self.chunkSize)
            chunks.append(chunk)
        }
        defer { nextSlot += 1 }
        return nextSlot
    }

    /// Returns a slot for reuse. Its pointer stays valid (a stale client bump only misattributes heat).
    func release(_ slot: Int) { freeSlots.append(slot) }

    func pointer(_ slot: Int) -> UnsafeMutablePointer<UInt64> {
        chunks[slot / Self.chunkSize] + slot % Self.chunkSize
    }

    var footprint: Int { chunks.count * Self.chunkSize * MemoryLayout<UInt64>.stride }

    deinit {
        for chunk in chunks { chunk.deallocate() }
    }
}
