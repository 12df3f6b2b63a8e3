/// What the stack roots of one collection held, recorded only while ``CodeGC/recordsStackRoots`` is set
/// (tests compare it with ground truth they computed themselves; diagnostics show it). Recording costs
/// a few array appends per stack root, nothing when off.
public struct StackRootRecord: Sendable, Equatable {
    /// Addresses into the region found on native stacks, every stack of the collection in the order
    /// walked (the collecting thread first). For a precise walk these are return addresses (a suspended
    /// context's own pc appears as `pc + 1`); for a conservative scan, any word that pointed into the region.
    public var nativeAddresses: [UInt] = []
    /// Native stacks of this collection that were only scanned conservatively.
    public var conservativeStackCount = 0
    /// The client's `jit_return`s of this collection.
    public var jitReturns: [UInt] = []
    /// Pages holding the code before a native address (the page of `address - 1`, where its call ends),
    /// sorted, without duplicates: the pages native stacks hold, whether or not other roots kept them too.
    public var nativeStackPages: [Int] = []
    /// Pages marked first by a stack root (native or `jit_return`), i.e. kept only by stacks: the pages
    /// ``CodeGCStats/pinnedPageCount`` counts, sorted.
    public var pinnedPages: [Int] = []

    /// An empty record.
    public init() {}
}
