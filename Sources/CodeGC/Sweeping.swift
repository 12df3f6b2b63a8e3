// Sweeping: free what marking did not keep.
//
// Order matters: block metadata first (unlinking branches, poisoning dead bytes on pages that stay), then
// stubs on pages that go (releasing their branch references), then the pages themselves.

extension CodeGC {
    /// What one sweep freed.
    struct SweepResult {
        var freedPages = 0
        var freedBlocks = 0
        var freedStubs = 0
        var ownersWithoutCode: [CodeOwnerID] = []
    }

    /// Whether `page` survives this collection.
    @inline(__always)
    func pageSurvives(_ page: Int) -> Bool {
        let record = pageTable.pages[page]
        return record.isAllocated && (record.markEpoch == epoch || record.writerHolds > 0)
    }

    func sweep() throws(CodeGCError) -> SweepResult {
        var result = SweepResult()
        for slot in 0..<blocks.slotCount {
            guard let handle = blocks.handle(atSlot: slot), blocks[handle].markEpoch != epoch else { continue }
            try freeBlock(BlockID(handle), into: &result)
        }
        for slot in 0..<stubs.slotCount {
            guard let handle = stubs.handle(atSlot: slot) else { continue }
            guard let span = pageTable.pages(of: stubs[handle].range) else { continue }
            if span.allSatisfy(pageSurvives) { continue }
            freeStub(StubID(handle))
            result.freedStubs += 1
        }
        for page in 0..<pageTable.pageCount where pageTable.pages[page].isAllocated && !pageSurvives(page) {
            try space.freeCodePage(page)
            pageTable.pages[page].isAllocated = false
            pageTable.pages[page].entries = []
            pageTable.pages[page].longestEntry = 0
            allocatedPages -= 1
            result.freedPages += 1
        }
        return result
    }

    /// Frees a block's metadata; INT3s its bytes on pages that stay, so a stale jump or return traps.
    func freeBlock(_ block: BlockID, into result: inout SweepResult) throws(CodeGCError) {
        let handle = block.handle
        guard let record = blocks.remove(handle) else { return }
        result.freedBlocks += 1
        for range in record.ranges {
            pageTable.remove(range, .block(block))
            try poisonSurvivingParts(of: range)
        }
        for range in record.references { pageTable.remove(range, .reference(block)) }
        for branch in record.outgoing {
            guard branches.contains(branch.handle) else { continue }
            for index in branches[branch.handle].targets.indices {
                guard case .block(let target) = branches[branch.handle].targets[index].destination,
                      blocks.contains(target.handle) else { continue }
                blocks[target.handle].incoming.removeAll { $0 == branch }
            }
            branches[branch.handle].state = .orphaned
            if branches[branch.handle].stubReferences == 0 { branches.remove(branch.handle) }
        }
        // Branches into a dead block come from dead blocks (a kept, followed block keeps its targets), or
        // were detached at invalidation; forget the destination so nothing follows a stale handle.
        for branch in record.incoming where branches.contains(branch.handle) {
            for index in branches[branch.handle].targets.indices {
                if case .block(block) = branches[branch.handle].targets[index].destination {
                    branches[branch.handle].targets[index].destination = .unlinked
                }
            }
        }
        if var owner = owners[record.owner] {
            owner.blockCount -= 1
            if record.isEntry { owner.entries.removeAll { $0 == block } }
            if owner.blockCount == 0 && owner.entries.isEmpty {
                owners[record.owner] = nil
                counters.release(owner.counterSlot)
                result.ownersWithoutCode.append(record.owner)
            } else {
                owners[record.owner] = owner
            }
        }
    }

    func poisonSurvivingParts(of range: Range<UInt>) throws(CodeGCError) {
        guard let span = pageTable.pages(of: range) else { return }
        for page in span where pageSurvives(page) {
            let start = pageTable.pageStart(page)
            let end = start + UInt(pageTable.pageSize)
            try space.poisonCode(max(range.lowerBound, start)..<min(range.upperBound, end))
        }
    }

    /// Frees a stub's metadata (its page is going); drops the branch record if nothing else needs it.
    func freeStub(_ stub: StubID) {
        guard let record = stubs.remove(stub.handle) else { return }
        pageTable.remove(record.range, .stub(stub))
        let branch = record.branch.handle
        guard branches.contains(branch) else { return }
        branches[branch].stubReferences -= 1
        if case .stub(stub) = branches[branch].targets[record.targetIndex].destination {
            branches[branch].targets[record.targetIndex].destination = .unlinked
        }
        if branches[branch].stubReferences == 0 && branches[branch].state == .orphaned {
            branches.remove(branch)
        }
    }
}
