/// The graph's tables and the collector's marking state. A struct, so that marking (mutating methods on it)
/// touches records in place without the per-access exclusivity checks of class properties.
struct GraphStore {
    var blocks = SlotTable<BlockRecord>()
    var branches = SlotTable<BranchRecord>()
    var stubs = SlotTable<StubRecord>()
    var pageTable: PageTable
    var owners: [CodeOwnerID: OwnerRecord] = [:]
    /// Blocks added during open compilations: roots until the outermost compilation ends.
    var inFlightBlocks: [BlockID] = []
    /// Current marking epoch (0 means never marked).
    var epoch: UInt32 = 0
    /// Reused marking worklist.
    var worklist: [BlockID] = []
    /// Pages whose first mark at the current collection came from a stack root.
    var pagesPinnedThisCollection = 0
    /// Set while stack roots are marked (so first marks count as pins).
    var markingStackRoots = false

    init(pageTable: PageTable) { self.pageTable = pageTable }
}
