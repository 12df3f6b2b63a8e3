/// When to collect code that became unreachable before the region fills.
///
/// The region-full and occupancy triggers look at pages only. A program that keeps redefining methods
/// (the seed's eval churn) leaves behind, per dead method, a little code and several times as much
/// metadata (block, branch and owner records, return points, call caches): with a large region it would
/// fill the region with dead code and the heap with its metadata (hundreds of MiB at 64 MiB) before the
/// first collection. So the JIT counts the blocks it makes unreachable, by invalidating them or because
/// their ISEQ died, and collects before the next compilation once they reach a budget: at least
/// ``minimumBudget`` blocks, and at least ``ownerFactor`` per live owner at the last collection, so
/// a large live working set is not marked again and again for little garbage.
struct UnreachableCodeTrigger {
    /// Blocks (roughly 0.5 KiB of code and metadata each) that may become garbage between collections.
    static let minimumBudget = 4096
    /// Budget blocks per live owner (an ISEQ the JIT compiled) at the last collection.
    static let ownerFactor = 4

    /// Blocks made unreachable since the last collection started.
    private(set) var unreachableBlocks = 0
    /// Collect once ``unreachableBlocks`` reaches this.
    private(set) var budget = minimumBudget

    /// `count` more blocks can no longer be entered (invalidated, or their ISEQ died).
    @inline(__always)
    mutating func noteUnreachable(_ count: Int) { unreachableBlocks &+= count }

    /// Whether enough code became unreachable to collect now.
    @inline(__always)
    var isDue: Bool { unreachableBlocks >= budget }

    /// A collection is starting (whoever started it): everything counted so far is being swept.
    mutating func collectionStarted(owners: Int) {
        unreachableBlocks = 0
        budget = max(Self.minimumBudget, owners &* Self.ownerFactor)
    }
}
