// Sweeping: free what marking did not keep.
//
// Order matters: block metadata first (unlinking branches, poisoning dead bytes on pages that stay), then
// stubs on pages that go (releasing their branch references), then the pages themselves.

extension CodeGC {
    /// What one sweep freed.
    struct SweepResult {
        var freedPages = 0
        /// Indices of the pages freed, in address order (for ``CodeGCRoots/codeGC(_:didFreePages:)``).
        var freedPageIndices: [Int] = []
        var freedBlocks = 0
        var freedStubs = 0
        var ownersWithoutCode: [CodeOwnerID] = []
    }

    /// Whether `page` survives this collection.
    @inline(__always)
    func pageSurvives(_ page: Int) -> Bool {
        return store.pageTable.pages[page].isAllocated
            && (store.pageMarks[page] == store.epoch || store.pageTable.pages[page].writerHolds > 0)
    }

    func sweep() throws(CodeGCError) -> SweepResult {
        var result = SweepResult()
        var dead: [BlockID] = []
        store.findUnmarkedBlocks(into: &dead)
        for block in dead { try freeBlock(block, into: &result) }
        // Stubs and pages: only when a page goes (stubs die only with their page).
        var pageGoes = false
        for page in store.pageTable.pages.storedPages where store.pageTable.pages[page].isAllocated && !pageSurvives(page) {
            pageGoes = true
            break
        }
        guard pageGoes else { return result }
        for slot in 0..<store.stubs.slotCount {
            guard let handle = store.stubs.handle(atSlot: slot) else { continue }
            guard let span = store.pageTable.pages(of: store.stubs[handle].range) else { continue }
            if span.allSatisfy(pageSurvives) { continue }
            freeStub(StubID(handle))
            result.freedStubs += 1
        }
        for page in store.pageTable.pages.storedPages where store.pageTable.pages[page].isAllocated && !pageSurvives(page) {
            try space.freeCodePage(page)
            store.pageTable.pages[page].isAllocated = false
            store.pageTable.pages[page].entries = []
            store.pageTable.pages[page].longestEntry = 0
            allocatedPages -= 1
            result.freedPages += 1
            result.freedPageIndices.append(page)
        }
        return result
    }

    /// Frees a block's metadata; INT3s its bytes on pages that stay, so a stale jump or return traps.
    func freeBlock(_ block: BlockID, into result: inout SweepResult) throws(CodeGCError) {
        let handle = block.handle
        guard store.blocks.contains(handle) else { return }
        store.entryBlocks.set(Int(handle.index), to: false)
        guard let record = store.blocks.remove(handle) else { return }
        result.freedBlocks += 1
        // Index entries on pages that go are dropped with the page's whole index below.
        for range in record.ranges where touchesSurvivingPage(range) {
            store.pageTable.remove(range, .block(block))
            try poisonSurvivingParts(of: range)
        }
        for range in record.references where touchesSurvivingPage(range) { store.pageTable.remove(range, .reference(block)) }
        for branch in record.outgoing {
            guard store.branches.contains(branch.handle) else { continue }
            for index in store.branches[branch.handle].targets.indices {
                guard case .block(let target) = store.branches[branch.handle].targets[index].destination,
                      store.blocks.contains(target.handle) else { continue }
                store.blocks[target.handle].incoming.removeAll { $0 == branch }
            }
            store.branches[branch.handle].state = .orphaned
            if store.branches[branch.handle].stubReferences == 0 { store.branches.remove(branch.handle) }
        }
        // Branches into a dead block come from dead blocks (a kept, followed block keeps its targets), or
        // were detached at invalidation; forget the destination so nothing follows a stale handle.
        for branch in record.incoming where store.branches.contains(branch.handle) {
            for index in store.branches[branch.handle].targets.indices {
                if case .block(block) = store.branches[branch.handle].targets[index].destination {
                    store.setDestination(branch, index, .unlinked)
                }
            }
        }
        if let slot = store.owners.slot(of: record.owner) {
            // Updated in place: copying the record out would copy its entry list too.
            store.owners[slot: slot].blockCount -= 1
            if record.isEntry { store.owners[slot: slot].entries.removeAll { $0 == block } }
            if store.owners[slot: slot].blockCount == 0 && store.owners[slot: slot].entries.isEmpty {
                counters.release(store.owners[slot: slot].counterSlot)
                store.owners.remove(slot: slot)
                result.ownersWithoutCode.append(record.owner)
            }
        }
    }

    /// Whether any page `range` lies on survives this collection.
    @inline(__always)
    func touchesSurvivingPage(_ range: Range<UInt>) -> Bool {
        guard let span = store.pageTable.pages(of: range) else { return false }
        for page in span where pageSurvives(page) { return true }
        return false
    }

    func poisonSurvivingParts(of range: Range<UInt>) throws(CodeGCError) {
        guard let span = store.pageTable.pages(of: range) else { return }
        for page in span where pageSurvives(page) {
            let start = store.pageTable.pageStart(page)
            let end = start + UInt(store.pageTable.pageSize)
            try space.poisonCode(max(range.lowerBound, start)..<min(range.upperBound, end))
        }
    }

    /// Frees a stub's metadata (its page is going); drops the branch record if nothing else needs it.
    func freeStub(_ stub: StubID) {
        guard let record = store.stubs.remove(stub.handle) else { return }
        store.pageTable.remove(record.range, .stub(stub))
        let branch = record.branch.handle
        guard store.branches.contains(branch) else { return }
        store.branches[branch].stubReferences -= 1
        if case .stub(stub) = store.branches[branch].targets[record.targetIndex].destination {
            store.setDestination(record.branch, record.targetIndex, .unlinked)
        }
        if store.branches[branch].stubReferences == 0 && store.branches[branch].state == .orphaned {
            store.branches.remove(branch)
        }
    }
}

extension GraphStore {
    /// Appends the blocks this collection did not keep to `dead`: one pass over the mark bitmap a word
    /// (64 slots) at a time, looking at the slot occupancy only where a bit is clear; no record touched.
    func findUnmarkedBlocks(into dead: inout [BlockID]) {
        let slotCount = blocks.slotCount
        for word in 0..<followedBlocks.wordCount where word << 6 < slotCount {
            var unkept = ~keptWord(word)
            while unkept != 0 {
                let slot = word << 6 | unkept.trailingZeroBitCount
                unkept &= unkept - 1
                guard slot < slotCount else { break }
                if let handle = blocks.handle(atSlot: slot) { dead.append(BlockID(handle)) }
            }
        }
    }
}
