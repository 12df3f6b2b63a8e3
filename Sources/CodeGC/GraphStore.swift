/// The graph's tables and the collector's marking state. A struct, so that marking (mutating methods on it)
/// touches records in place without the per-access exclusivity checks of class properties.
///
/// Marking reads only dense arrays indexed by slot (``blockMarks``, ``branchTargetBlocks``, the bitmaps,
/// ``pageMarks``): 12 bytes per block and 16 per branch instead of the full records (well over 100 bytes
/// each, with arrays behind them), so a collection touches a few bytes per block. Branches to stubs and
/// fixed exits are flagged and read from their records. The
/// records stay the source of truth; every write that marking depends on goes through the methods below,
/// which keep the dense copies in step. Only ``CodeGC`` holds a store, and frees it with
/// ``deallocateDenseState()``.
struct GraphStore {
    var blocks = SlotTable<BlockRecord>()
    var branches = SlotTable<BranchRecord>()
    var stubs = SlotTable<StubRecord>()
    var pageTable: PageTable
    var owners = OwnerMap()
    /// Blocks added during open compilations: roots until the outermost compilation ends.
    var inFlightBlocks: [BlockID] = []
    /// Current marking epoch (0 means never marked); pages and stubs record the epoch that kept them.
    var epoch: UInt32 = 0
    /// Per block slot: what marking needs of the block.
    var blockMarks = DenseArray<BlockMarkInfo>()
    /// Per branch slot, two entries (targets 0 and 1): the raw ``BlockID`` the target jumps to, or 0.
    var branchTargetBlocks = DenseArray<UInt64>()
    /// Branch slots with a target at a stub or a fixed address: marking reads their records.
    var branchesWithOtherTargets = MarkBitmap()
    /// Block slots that are entries of their owner (the graph's roots).
    var entryBlocks = MarkBitmap()
    /// Block slots kept by this collection.
    var keptBlocks = MarkBitmap()
    /// Block slots whose outgoing branches this collection followed (or queued).
    var followedBlocks = MarkBitmap()
    /// Per page: epoch of the last collection that kept it.
    var pageMarks = DenseArray<UInt32>()
    /// Reused marking work queue of block slots (each a live block for the whole marking), taken from
    /// `worklistHead` on: first in, first out, so consecutive blocks come from different chains and their
    /// cache misses overlap (last in, first out would follow one chain, one dependent miss at a time).
    var worklist = DenseArray<UInt32>()
    var worklistHead = 0
    /// Pages whose first mark at the current collection came from a stack root.
    var pagesPinnedThisCollection = 0
    /// Set while stack roots are marked (so first marks count as pins).
    var markingStackRoots = false
    /// Pages pinned this collection, listed only while ``CodeGC/recordsStackRoots`` is set.
    var pinnedPageLog: [Int]?

    init(pageTable: PageTable) {
        self.pageTable = pageTable
        pageMarks.grow(to: pageTable.pageCount, filling: 0)
    }

    /// Frees the dense marking state (the owner's deinit).
    mutating func deallocateDenseState() {
        blockMarks.deallocate()
        branchTargetBlocks.deallocate()
        branchesWithOtherTargets.deallocate()
        entryBlocks.deallocate()
        keptBlocks.deallocate()
        followedBlocks.deallocate()
        pageMarks.deallocate()
        worklist.deallocate()
    }

    // MARK: Keeping the dense state in step with the records

    /// Inserts a block record and its marking summary.
    mutating func insertBlock(_ record: BlockRecord) -> BlockID {
        let handle = blocks.insert(record)
        let slot = Int(handle.index)
        if slot >= blockMarks.count {
            blockMarks.grow(to: blocks.slotCount, filling: .empty)
            keptBlocks.grow(to: blocks.slotCount)
            entryBlocks.grow(to: blocks.slotCount)
            followedBlocks.grow(to: blocks.slotCount)
        }
        var info = BlockMarkInfo.empty
        info.page = record.ranges.count == 1 ? singlePage(of: record.ranges[0]) : BlockMarkInfo.severalPages
        blockMarks[slot] = info
        entryBlocks.set(slot, to: false)
        return BlockID(handle)
    }

    /// Records extra code a live block keeps (side exit, return-point exit).
    mutating func addReference(_ block: BlockID, range: Range<UInt>) {
        blocks[block.handle].references.append(range)
        pageTable.insert(range, .reference(block))
        let slot = Int(block.handle.index)
        if blockMarks[slot].page != singlePage(of: range) { blockMarks[slot].page = BlockMarkInfo.severalPages }
    }

    /// Inserts a branch record leaving `source` (live) with unlinked targets.
    mutating func insertBranch(_ record: BranchRecord) -> BranchID {
        let handle = branches.insert(record)
        let slot = Int(handle.index)
        if 2 * slot + 1 >= branchTargetBlocks.count {
            branchTargetBlocks.grow(to: 2 * branches.slotCount, filling: 0)
            branchesWithOtherTargets.grow(to: branches.slotCount)
        }
        branchTargetBlocks[2 * slot] = 0
        branchTargetBlocks[2 * slot + 1] = 0
        branchesWithOtherTargets.set(slot, to: false)
        let id = BranchID(handle)
        let source = Int(record.source.handle.index)
        blocks[record.source.handle].outgoing.append(id)
        if blockMarks[source].firstBranch == BlockMarkInfo.noBranch {
            blockMarks[source].firstBranch = UInt32(slot)
        } else if blockMarks[source].secondBranch == BlockMarkInfo.noBranch {
            blockMarks[source].secondBranch = UInt32(slot)
        } else {
            blockMarks[source].secondBranch = BlockMarkInfo.moreBranches
        }
        return id
    }

    /// Sets where target `index` of a branch jumps, in the record and the dense copy.
    mutating func setDestination(_ branch: BranchID, _ index: Int, _ destination: BranchDestination) {
        branches[branch.handle].targets[index].destination = destination
        let slot = Int(branch.handle.index)
        if case .block(let block) = destination {
            branchTargetBlocks[2 * slot + index] = block.rawValue
        } else {
            branchTargetBlocks[2 * slot + index] = 0
        }
        var other = false
        for target in branches[branch.handle].targets {
            switch target.destination {
            case .stub, .address: other = true
            case .block, .unlinked: break
            }
        }
        branchesWithOtherTargets.set(slot, to: other)
    }

    /// Makes a live block an entry of its owner or not, in the record and the root bitmap.
    mutating func setEntryFlag(_ block: BlockID, _ isEntry: Bool) {
        blocks[block.handle].isEntry = isEntry
        entryBlocks.set(Int(block.handle.index), to: isEntry)
    }

    /// The page holding all of `range`, or ``BlockMarkInfo/severalPages``.
    func singlePage(of range: Range<UInt>) -> UInt32 {
        guard let span = pageTable.pages(of: range), span.count == 1 else { return BlockMarkInfo.severalPages }
        return UInt32(span.lowerBound)
    }
}

/// What marking needs of one block, 12 bytes in a dense array: the page to keep and the first two
/// outgoing branches. Anything rarer (code or references on several pages, a third branch) says so, and
/// marking reads the full record for it.
struct BlockMarkInfo {
    static let severalPages = UInt32.max
    static let noBranch = UInt32.max
    static let moreBranches = UInt32.max - 1
    static let empty = BlockMarkInfo(page: severalPages, firstBranch: noBranch, secondBranch: noBranch)

    /// The one page holding the block's code and references, or `severalPages`.
    var page: UInt32
    /// Slot of the first outgoing branch, or `noBranch`.
    var firstBranch: UInt32
    /// Slot of the second outgoing branch, `noBranch`, or `moreBranches` (then the record's list from the
    /// second on).
    var secondBranch: UInt32
}
