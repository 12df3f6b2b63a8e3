/// The graph's tables and the collector's marking state. A struct, so that marking (mutating methods on it)
/// touches records in place without the per-access exclusivity checks of class properties.
///
/// Marking reads only dense arrays indexed by slot: one 16-byte ``MarkNode`` per block (its page and the
/// slots of the blocks its branches lead to), the bitmaps and ``pageMarks``. Following a block costs one
/// cache line and no generation check: the records stay the source of truth, and every write that marking
/// depends on goes through the methods below, which keep the nodes in step. Invariant: a block edge in
/// the node of a live block names a live block. Writes keep it: a block freed with live branches into it
/// has them unlinked (``setDestination(_:_:_:)``); branches of invalidated blocks, which no longer appear
/// in their targets' incoming lists, are cleared by ``forgetEdgesIntoUnkeptBlocks()`` after each
/// marking, before the sweep frees their targets. Only ``CodeGC`` holds a store, and frees it with
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
    var markNodes = DenseArray<MarkNode>()
    /// Per branch slot: the edge position of its target 0 in its source block's node (target 1 follows).
    var branchEdgePositions = DenseArray<UInt32>()
    /// Block slots that are entries of their owner (the graph's roots).
    var entryBlocks = MarkBitmap()
    /// Block slots this collection follows (queued or done): kept, and their edges marked.
    var followedBlocks = MarkBitmap()
    /// Block slots this collection keeps without following them (stack roots at patched return points,
    /// side exits on a stack); some may be followed as well. Kept blocks are both sets together, see
    /// ``isKept(_:)``: a followed block then costs one bitmap write.
    var keptUnfollowedBlocks = MarkBitmap()
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
        markNodes.deallocate()
        branchEdgePositions.deallocate()
        entryBlocks.deallocate()
        keptUnfollowedBlocks.deallocate()
        followedBlocks.deallocate()
        pageMarks.deallocate()
        worklist.deallocate()
    }

    // MARK: Keeping the dense state in step with the records

    /// Inserts a live block record of `owner` with `ranges` (built in place: see ``SlotTable/insert(_:)``)
    /// and its marking node.
    mutating func insertBlock(owner: CodeOwnerID, key: UInt64, ranges: [Range<UInt>]) -> BlockID {
        let handle = blocks.insert { record in
            record.owner = owner
            record.key = key
            for range in ranges { record.ranges.append(range) }
        }
        return indexInsertedBlock(handle, firstRange: ranges[0], rangeCount: ranges.count)
    }

    private mutating func indexInsertedBlock(_ handle: SlotHandle, firstRange: Range<UInt>, rangeCount: Int) -> BlockID {
        let slot = Int(handle.index)
        if slot >= markNodes.count {
            markNodes.grow(to: blocks.slotCount, filling: .empty)
            keptUnfollowedBlocks.grow(to: blocks.slotCount)
            entryBlocks.grow(to: blocks.slotCount)
            followedBlocks.grow(to: blocks.slotCount)
        }
        var node = MarkNode.empty
        node.page = rangeCount == 1 ? singlePage(of: firstRange) : MarkNode.severalPages
        markNodes[slot] = node
        entryBlocks.set(slot, to: false)
        return BlockID(handle)
    }

    /// Records extra code a live block keeps (side exit, return-point exit).
    mutating func addReference(_ block: BlockID, range: Range<UInt>) {
        blocks[block.handle].references.append(range)
        pageTable.insert(range, .reference(block))
        let slot = Int(block.handle.index)
        if markNodes[slot].page != singlePage(of: range) { markNodes[slot].page = MarkNode.severalPages }
    }

    /// Inserts a branch record leaving `source` (live) with unlinked targets, and gives its targets the
    /// next edge positions of the source.
    mutating func insertBranch(_ record: BranchRecord) -> BranchID {
        let handle = branches.insert(record)
        let slot = Int(handle.index)
        if slot >= branchEdgePositions.count { branchEdgePositions.grow(to: branches.slotCount, filling: 0) }
        let source = record.source.handle
        let position = edgePositionCount(of: source)
        branchEdgePositions[slot] = UInt32(position)
        let id = BranchID(handle)
        blocks[source].outgoing.append(id)
        // Unlinked targets add no edge; past the node's room, positions 2 on move to the records.
        if position + record.targets.count > MarkNode.inlinePositions {
            markNodes[Int(source.index)].edge2 = MarkEdge.fromRecords
        }
        return id
    }

    /// Sets where target `index` of a branch jumps, in the record and (while its source is live) the
    /// source's node.
    mutating func setDestination(_ branch: BranchID, _ index: Int, _ destination: BranchDestination) {
        branches[branch.handle].targets[index].destination = destination
        let source = branches[branch.handle].source.handle
        // An orphaned branch's source is gone; its slot may hold another block by now.
        guard branches[branch.handle].state != .orphaned, blocks.contains(source) else { return }
        let position = Int(branchEdgePositions[Int(branch.handle.index)]) + index
        guard position < MarkNode.inlinePositions, position < 2 || edgePositionCount(of: source) <= MarkNode.inlinePositions else {
            return  // read from the records
        }
        markNodes[Int(source.index)][position] = edge(to: destination)
    }

    /// Edge positions of a live block: the targets of all its branches.
    func edgePositionCount(of block: SlotHandle) -> Int {
        guard let last = blocks[block].outgoing.last else { return 0 }
        return Int(branchEdgePositions[Int(last.handle.index)]) + branches[last.handle].targets.count
    }

    /// How a node encodes `destination` (a `.block` must be live).
    func edge(to destination: BranchDestination) -> UInt32 {
        switch destination {
        case .unlinked:
            return MarkEdge.none
        case .block(let block):
            return MarkEdge.block(slot: Int(block.handle.index))
        case .stub(let stub):
            guard stubs.contains(stub.handle), let span = pageTable.pages(of: stubs[stub.handle].range) else {
                return MarkEdge.none
            }
            return span.count == 1 ? MarkEdge.page(span.lowerBound) : MarkEdge.fromRecords
        case .address(let address):
            guard let page = pageTable.page(of: address) else { return MarkEdge.none }
            return MarkEdge.page(page)
        }
    }

    /// Makes a live block an entry of its owner or not, in the record and the root bitmap.
    mutating func setEntryFlag(_ block: BlockID, _ isEntry: Bool) {
        blocks[block.handle].isEntry = isEntry
        entryBlocks.set(Int(block.handle.index), to: isEntry)
    }

    /// The page holding all of `range`, or ``MarkNode/severalPages``.
    func singlePage(of range: Range<UInt>) -> UInt32 {
        guard let span = pageTable.pages(of: range), span.count == 1 else { return MarkNode.severalPages }
        return UInt32(span.lowerBound)
    }
}
