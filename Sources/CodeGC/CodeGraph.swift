// Registration and queries of the block/branch/stub graph.

extension CodeGC {
    // MARK: Compilations

    /// Opens a compilation: blocks added until the matching ``endCompilation()`` are roots (their code is
    /// kept) even before anything links to them, so a collection triggered mid-compilation (e.g. by
    /// ``allocatePage()``) cannot free them. Compilations nest.
    public func beginCompilation() { compilationDepth += 1 }

    /// Closes a compilation; when the outermost one closes, its blocks must be reachable (entries or
    /// linked) to survive the next collection.
    public func endCompilation() {
        guard compilationDepth > 0 else { return }
        compilationDepth -= 1
        if compilationDepth == 0 { store.inFlightBlocks.removeAll(keepingCapacity: true) }
    }

    // MARK: Blocks

    /// Registers a compiled block of `owner` whose inline code occupies `ranges` (entry first; a block that
    /// did not fit continues on another page). `key` is the client's description of what the block compiles;
    /// stubs replacing branches into it hand it back. Ranges must lie in allocated pages and not overlap
    /// other blocks or stubs.
    @discardableResult
    public func addBlock(owner: CodeOwnerID, key: UInt64 = 0, ranges: [Range<UInt>]) throws(CodeGCError) -> BlockID {
        guard !ranges.isEmpty else { throw .invalidRange(0..<0) }
        for range in ranges { try checkCode(range) }
        let id = store.insertBlock(owner: owner, key: key, ranges: ranges)
        for range in ranges { store.pageTable.insert(range, .block(id)) }
        store.owners[slot: ensureOwner(owner)].blockCount += 1
        if compilationDepth > 0 { store.inFlightBlocks.append(id) }
        return id
    }

    /// Records extra code `block` jumps to (a side exit, possibly on another page): kept while the block is.
    public func addReference(_ block: BlockID, range: Range<UInt>) throws(CodeGCError) {
        try checkBlock(block)
        try checkCode(range)
        store.addReference(block, range: range)
    }

    /// Registers a return point of `block` (see ``ReturnPoint``); invalidation patches it to an exit.
    public func addReturnPoint(_ block: BlockID, _ point: ReturnPoint) throws(CodeGCError) {
        try checkBlock(block)
        guard store.blocks[block.handle].state == .live else { throw .blockInvalidated(block) }
        store.blocks[block.handle].returnPoints.append(point)
    }

    /// Makes `block` an entry of its owner: a root for as long as it stays an entry (until invalidated,
    /// evicted, or ``removeEntries(of:)``).
    public func setEntry(_ block: BlockID) throws(CodeGCError) {
        try checkBlock(block)
        guard store.blocks[block.handle].state == .live else { throw .blockInvalidated(block) }
        guard !store.blocks[block.handle].isEntry else { return }
        store.setEntryFlag(block, true)
        let owner = store.blocks[block.handle].owner
        store.owners[slot: ensureOwner(owner)].entries.append(block)
    }

    /// Removes every entry of `owner` without invalidating its code (the owner died or was redefined and
    /// nothing may enter it anew); code still reachable through branches or stacks stays. Returns whether
    /// any block of `owner` still has metadata; if none does, the owner is forgotten at once (no
    /// ``CodeGCRoots/codeGC(_:didFreeAllCodeOf:)`` will name it, and its entry counter slot may be reused).
    @discardableResult
    public func removeEntries(of owner: CodeOwnerID) -> Bool {
        guard let slot = store.owners.slot(of: owner) else { return false }
        for block in store.owners[slot: slot].entries where store.blocks.contains(block.handle) { store.setEntryFlag(block, false) }
        store.owners[slot: slot].entries.removeAll()
        guard store.owners[slot: slot].blockCount == 0 else { return true }
        counters.release(store.owners[slot: slot].counterSlot)
        store.owners.remove(slot: slot)
        return false
    }

    /// Whether `owner` has an entry block.
    public func hasEntries(_ owner: CodeOwnerID) -> Bool {
        guard let slot = store.owners.slot(of: owner) else { return false }
        return !store.owners[slot: slot].entries.isEmpty
    }

    /// The entry blocks of `owner`.
    public func entries(of owner: CodeOwnerID) -> [BlockID] { store.owners.record(of: owner).map { Array($0.entries) } ?? [] }

    /// A counter the client (or JIT code, with one `inc qword [address]`) bumps on every entry into
    /// `owner`'s code; the eviction policy treats owners whose counter stopped moving as cold. The pointer
    /// stays valid for the collector's lifetime; after ``CodeGCRoots/codeGC(_:didFreeAllCodeOf:)`` names the
    /// owner, its slot may be given to another owner.
    public func entryCounter(for owner: CodeOwnerID) -> UnsafeMutablePointer<UInt64> {
        counters.pointer(store.owners[slot: ensureOwner(owner)].counterSlot)
    }

    /// Whether `block` still has metadata.
    public func contains(_ block: BlockID) -> Bool { store.blocks.contains(block.handle) }
    /// Whether `block` still has metadata and is live (not invalidated): ``info(_:)``'s state without the
    /// snapshot's copies.
    public func isLive(_ block: BlockID) -> Bool {
        store.blocks.contains(block.handle) && store.blocks[block.handle].state == .live
    }
    /// Whether an allocated page holds code that is still in use: a live (not invalidated) block's code or
    /// a stub. A page without any is garbage for the next collection: a client placing new code should
    /// leave it to be freed whole.
    public func pageHoldsLiveCode(_ page: Int) -> Bool {
        guard page >= 0, page < store.pageTable.pageCount else { return false }
        for entry in store.pageTable.pages[page].entries {
            switch entry.object {
            case .block(let block), .reference(let block):
                if store.blocks.contains(block.handle) && store.blocks[block.handle].state == .live { return true }
            case .stub: return true
            }
        }
        return false
    }
    /// Whether an allocated page has a writer hold (``CodeGC/holdPage(_:)``): it is not freed however
    /// dead its code.
    public func isHeld(page: Int) -> Bool {
        page >= 0 && page < store.pageTable.pageCount && store.pageTable.pages[page].writerHolds > 0
    }
    /// Whether invalidating `block` would generate code through ``codeFactory``: a stub per live branch into
    /// it, an exit per return point not yet patched. A client makes room for that code only then.
    public func invalidationGeneratesCode(_ block: BlockID) -> Bool {
        guard store.blocks.contains(block.handle), store.blocks[block.handle].state == .live else { return false }
        return !store.blocks[block.handle].incoming.isEmpty
            || store.blocks[block.handle].returnPoints.contains { !$0.isPatched }
    }
    /// Whether `branch` still has metadata.
    public func contains(_ branch: BranchID) -> Bool { store.branches.contains(branch.handle) }
    /// Whether `stub` still has metadata.
    public func contains(_ stub: StubID) -> Bool { store.stubs.contains(stub.handle) }

    /// A snapshot of `block`'s metadata, or nil if it was freed.
    public func info(_ block: BlockID) -> BlockInfo? {
        guard store.blocks.contains(block.handle) else { return nil }
        let record = store.blocks[block.handle]
        return BlockInfo(
            owner: record.owner, key: record.key, ranges: Array(record.ranges), state: record.state,
            isEntry: record.isEntry, outgoing: Array(record.outgoing), incoming: Array(record.incoming),
            references: Array(record.references), returnPoints: Array(record.returnPoints))
    }

    /// A snapshot of `branch`'s metadata, or nil if it was freed.
    public func info(_ branch: BranchID) -> BranchInfo? {
        guard store.branches.contains(branch.handle) else { return nil }
        let record = store.branches[branch.handle]
        return BranchInfo(
            source: record.source, state: record.state,
            destinations: record.targets.map(\.destination), keys: record.targets.map(\.key))
    }

    /// The code range of `stub`, or nil if it was freed.
    public func range(of stub: StubID) -> Range<UInt>? {
        store.stubs.contains(stub.handle) ? store.stubs[stub.handle].range : nil
    }

    /// The block whose own code (not its side exits) contains `address`, in O(log n): page by arithmetic,
    /// then binary search in the page's sorted index.
    public func block(containing address: UInt) -> BlockID? {
        var found: BlockID?
        store.pageTable.forEachObject(containing: address) { object in
            if case .block(let id) = object { found = id }
        }
        return found
    }

    /// The stub whose code contains `address`.
    public func stub(containing address: UInt) -> StubID? {
        var found: StubID?
        store.pageTable.forEachObject(containing: address) { object in
            if case .stub(let id) = object { found = id }
        }
        return found
    }

    /// The page holding `address`, or nil outside the region.
    public func page(of address: UInt) -> Int? { store.pageTable.page(of: address) }

    // MARK: Branches and stubs

    /// Registers a branch leaving `from` with one or two targets, each a patchable jump the client emitted.
    /// Targets start ``BranchDestination/unlinked``; give each one a stub or a block.
    public func addBranch(from source: BlockID, targets: [BranchTargetSpec]) throws(CodeGCError) -> BranchID {
        try checkBlock(source)
        guard store.blocks[source.handle].state == .live else { throw .blockInvalidated(source) }
        guard (1...2).contains(targets.count) else { throw .invalidTargetCount(targets.count) }
        for target in targets { try checkCode(target.jumpAddress..<(target.jumpAddress + 5)) }
        let record = BranchRecord(
            source: source,
            targets: InlineList(targets.map { BranchTarget(jumpAddress: $0.jumpAddress, key: $0.key, destination: .unlinked) }))
        return store.insertBranch(record)
    }

    /// Creates a stub for target `index` of `branch`: `generate` receives the new stub's handle, emits code
    /// calling the stub handler with `stub.rawValue`, and returns the code range. The branch's jump is then
    /// retargeted to the stub.
    @discardableResult
    public func addStub(
        for branch: BranchID, target index: Int, generate: (StubID) throws -> Range<UInt>
    ) throws(CodeGCError) -> StubID {
        try checkLiveBranch(branch, target: index)
        let key = store.branches[branch.handle].targets[index].key
        let stub = try makeStub(branch: branch, target: index, key: key) { id throws(CodeGCError) in
            do { return try generate(id) } catch { throw .codeGenerationFailed("\(error)") }
        }
        try pointTarget(branch, index, at: .stub(stub))
        return stub
    }

    /// Links target `index` of a live `branch` to compiled `block` and retargets its jump to the block's
    /// entry. Throws ``CodeGCError/branchNotLive(_:)`` if the branch's source was invalidated meanwhile
    /// (then just continue into the block without linking).
    public func linkBranch(_ branch: BranchID, target index: Int, to block: BlockID) throws(CodeGCError) {
        try checkLiveBranch(branch, target: index)
        try checkBlock(block)
        guard store.blocks[block.handle].state == .live else { throw .blockInvalidated(block) }
        try pointTarget(branch, index, at: .block(block))
    }

    /// Points target `index` of a live `branch` at fixed client code (an exit) and retargets its jump.
    public func linkBranch(_ branch: BranchID, target index: Int, toAddress address: UInt) throws(CodeGCError) {
        try checkLiveBranch(branch, target: index)
        try pointTarget(branch, index, at: .address(address))
    }

    /// Decides what a stub hit does (see ``StubHit`` and the lifetime notes on ``StubID``).
    public func stubHit(_ stub: StubID) -> StubHit {
        guard store.stubs.contains(stub.handle) else { return .stale }
        let record = store.stubs[stub.handle]
        guard store.branches.contains(record.branch.handle) else { return .stale }
        let branch = store.branches[record.branch.handle]
        guard branch.state == .live else { return .branchInvalidated(key: record.key) }
        switch branch.targets[record.targetIndex].destination {
        case .block(let block):
            return .resolved(block)
        case .stub(let current) where current != stub:
            // Repointed to a newer stub (its target was invalidated again): the older one is stale.
            return .branchInvalidated(key: record.key)
        default:
            return .compile(
                StubRequest(
                    branch: record.branch, targetIndex: record.targetIndex, key: record.key,
                    sourceBlock: branch.source, owner: store.blocks[branch.source.handle].owner))
        }
    }

    /// Entry address of a block (first byte of its first range).
    public func entryAddress(of block: BlockID) -> UInt? {
        store.blocks.contains(block.handle) ? store.blocks[block.handle].entryAddress : nil
    }

    // MARK: Internals

    /// The slot of `owner`'s record, made if missing.
    @discardableResult
    func ensureOwner(_ owner: CodeOwnerID) -> Int {
        if let slot = store.owners.slot(of: owner) { return slot }
        return store.owners.insert(owner, counterSlot: counters.allocate(), lastActiveCollection: activityClock.now)
    }

    func checkBlock(_ block: BlockID) throws(CodeGCError) {
        guard store.blocks.contains(block.handle) else { throw .unknownBlock(block) }
    }

    func checkLiveBranch(_ branch: BranchID, target index: Int) throws(CodeGCError) {
        guard store.branches.contains(branch.handle) else { throw .unknownBranch(branch) }
        guard store.branches[branch.handle].state == .live else { throw .branchNotLive(branch) }
        guard store.branches[branch.handle].targets.indices.contains(index) else { throw .noSuchTarget(branch, index: index) }
    }

    /// A range is acceptable if non-empty and wholly inside allocated pages.
    func checkCode(_ range: Range<UInt>) throws(CodeGCError) {
        guard !range.isEmpty, let span = store.pageTable.pages(of: range) else { throw .invalidRange(range) }
        for page in span where !store.pageTable.pages[page].isAllocated { throw .invalidRange(range) }
    }

    /// Registers a stub record whose code `generate` emits, and indexes it.
    func makeStub(
        branch: BranchID, target index: Int, key: UInt64, generate: (StubID) throws(CodeGCError) -> Range<UInt>
    ) throws(CodeGCError) -> StubID {
        let handle = store.stubs.insert(StubRecord(range: 0..<0, branch: branch, targetIndex: index, key: key))
        let id = StubID(handle)
        let range: Range<UInt>
        do {
            range = try generate(id)
            try checkCode(range)
        } catch {
            store.stubs.remove(handle)
            throw error
        }
        store.stubs[handle].range = range
        store.branches[branch.handle].stubReferences += 1
        store.pageTable.insert(range, .stub(id))
        return id
    }

    /// Retargets a branch target's jump and updates destination and incoming lists.
    func pointTarget(_ branch: BranchID, _ index: Int, at destination: BranchDestination) throws(CodeGCError) {
        let address: UInt
        switch destination {
        case .block(let block): address = store.blocks[block.handle].entryAddress
        case .stub(let stub): address = store.stubs[stub.handle].range.lowerBound
        case .address(let target): address = target
        case .unlinked: return
        }
        try space.retargetJump(at: store.branches[branch.handle].targets[index].jumpAddress, to: address)
        detachTarget(branch, index)
        store.setDestination(branch, index, destination)
        if case .block(let block) = destination, !store.blocks[block.handle].incoming.contains(branch) {
            store.blocks[block.handle].incoming.append(branch)
        }
    }

    /// Forgets where target `index` points, removing the branch from the old block's incoming list unless
    /// the other target still points there.
    func detachTarget(_ branch: BranchID, _ index: Int) {
        guard case .block(let old) = store.branches[branch.handle].targets[index].destination else { return }
        store.setDestination(branch, index, .unlinked)
        guard store.blocks.contains(old.handle) else { return }
        for target in store.branches[branch.handle].targets {
            if case .block(old) = target.destination { return }
        }
        store.blocks[old.handle].incoming.removeAll { $0 == branch }
    }
}
