// Marking: which blocks, stubs and pages must survive this collection.
//
// A block is *kept* (its code and metadata survive; its pages, side exits and return-point exits are
// marked) when any root or live branch reaches it. It is also *followed* (its outgoing branches mark their
// targets) when execution can continue inside it: it is an entry, a live branch leads to it, a compilation
// is filling it, or a frame returns into it anywhere but at a return point already patched to an exit.
// Stubs targeted by followed branches are kept with their pages.

extension GraphStore {
    /// Starts a collection's marking.
    mutating func beginMarking() {
        epoch = epoch == UInt32.max ? 1 : epoch + 1
        pagesPinnedThisCollection = 0
        if pinnedPageLog != nil { pinnedPageLog = [] }
        worklist.removeAll()
        worklistHead = 0
        keptBlocks.clear()
        followedBlocks.clear()
    }

    /// Marks a page for this collection; counts it as pinned if a stack root marked it first.
    @inline(__always)
    mutating func markPage(_ page: Int) {
        guard pageMarks[page] != epoch else { return }
        pageMarks[page] = epoch
        if markingStackRoots {
            pagesPinnedThisCollection += 1
            pinnedPageLog?.append(page)
        }
    }

    @inline(__always)
    mutating func markPages(of range: Range<UInt>) {
        guard let span = pageTable.pages(of: range) else { return }
        for page in span { markPage(page) }
    }

    /// Keeps `block`; queues it to be followed when `follow` is set.
    @inline(__always)
    mutating func reach(_ block: BlockID, follow: Bool) {
        let handle = block.handle
        guard blocks.contains(handle) else { return }
        let slot = Int(handle.index)
        if keptBlocks.insert(slot) {
            let page = blockMarks[slot].page
            if page != BlockMarkInfo.severalPages {
                markPage(Int(page))
            } else {
                markPagesFromRecord(handle)
            }
        }
        if follow && followedBlocks.insert(slot) { worklist.append(UInt32(slot)) }
    }

    /// The rare case: code or references on more than one page.
    @inline(never)
    mutating func markPagesFromRecord(_ handle: SlotHandle) {
        for index in 0..<blocks[handle].ranges.count { markPages(of: blocks[handle].ranges[index]) }
        for index in 0..<blocks[handle].references.count { markPages(of: blocks[handle].references[index]) }
    }

    @inline(__always)
    mutating func markStub(_ stub: StubID) {
        let handle = stub.handle
        guard stubs.contains(handle), stubs[handle].markEpoch != epoch else { return }
        stubs[handle].markEpoch = epoch
        markPages(of: stubs[handle].range)
    }

    /// Marks what the targets of the branch in `slot` lead to.
    @inline(__always)
    mutating func followBranch(_ slot: Int) {
        if branchesWithOtherTargets.contains(slot) { return followBranchRecord(slot) }
        let first = branchTargetBlocks[2 * slot]
        if first != 0 { reach(BlockID(rawValue: first), follow: true) }
        let second = branchTargetBlocks[2 * slot + 1]
        if second != 0 { reach(BlockID(rawValue: second), follow: true) }
    }

    /// A branch with a target at a stub or a fixed address: read its record.
    @inline(never)
    mutating func followBranchRecord(_ slot: Int) {
        guard let branch = branches.handle(atSlot: slot) else { return }
        for index in 0..<branches[branch].targets.count {
            switch branches[branch].targets[index].destination {
            case .block(let target): reach(target, follow: true)
            case .stub(let stub): markStub(stub)
            case .address(let address): if let page = pageTable.page(of: address) { markPage(page) }
            case .unlinked: break
            }
        }
    }

    /// Follows queued blocks' branches until the worklist is empty. Every queued slot holds a live block,
    /// and a live block's outgoing branches are live records (they go only with the block).
    mutating func drainWorklist() {
        while worklistHead < worklist.count {
            let slot = worklist[worklistHead]
            worklistHead += 1
            let info = blockMarks[Int(slot)]
            guard info.firstBranch != BlockMarkInfo.noBranch else { continue }
            followBranch(Int(info.firstBranch))
            if info.secondBranch == BlockMarkInfo.noBranch { continue }
            if info.secondBranch != BlockMarkInfo.moreBranches {
                followBranch(Int(info.secondBranch))
            } else {
                followRemainingBranches(ofSlot: Int(slot))
            }
        }
        worklist.removeAll()
        worklistHead = 0
    }

    /// The rare case: a block with three or more branches.
    @inline(never)
    mutating func followRemainingBranches(ofSlot slot: Int) {
        guard let handle = blocks.handle(atSlot: slot) else { return }
        let count = blocks[handle].outgoing.count
        for position in 1..<count { followBranch(Int(blocks[handle].outgoing[position].handle.index)) }
    }

    /// Graph roots: pages held by writers, blocks of open compilations, entries of owners.
    mutating func markGraphRoots() {
        for page in 0..<pageTable.pageCount where pageTable.pages[page].writerHolds > 0 { markPage(page) }
        for block in inFlightBlocks { reach(block, follow: true) }
        // Entries of owners, from the root bitmap (the owners' entry lists hold the same blocks).
        for word in 0..<entryBlocks.wordCount {
            var bits = entryBlocks.word(word)
            while bits != 0 {
                let slot = word << 6 | bits.trailingZeroBitCount
                bits &= bits - 1
                if let handle = blocks.handle(atSlot: slot) { reach(BlockID(handle), follow: true) }
            }
        }
        drainWorklist()
    }

    /// A root that resumes execution at `resume` (a `jit_return`, or a native return address): keeps the
    /// page and whatever code contains `probe` (`resume` itself for a `jit_return`, `resume - 1` for a return
    /// address, whose call instruction ends right before it).
    mutating func markStackRoot(resume: UInt, probe: UInt) {
        guard let page = pageTable.page(of: probe), pageTable.pages[page].isAllocated else { return }
        markPage(page)
        pageTable.forEachObject(containing: probe) { object in
            switch object {
            case .block(let block):
                let atPatchedReturn = blocks[block.handle].state == .invalidated
                    && blocks[block.handle].returnPoints.contains { $0.isPatched && $0.returnAddress == resume }
                reach(block, follow: !atPatchedReturn)
            case .reference(let block):
                reach(block, follow: false)
            case .stub(let stub):
                markStub(stub)
            }
        }
    }

    /// Marks addresses a walk or scan found. A conservative word is not known to be a return address: it
    /// pins whatever contains it exactly, and what contains the byte before it.
    mutating func markFound(_ found: [UInt], conservative: Bool) {
        for index in 0..<found.count {
            let address = found[index]
            markStackRoot(resume: address, probe: address - 1)
            if conservative { markStackRoot(resume: address, probe: address) }
        }
    }
}

extension CodeGC {
    /// Marks from the client's `jit_return`s and from every native stack (walked or scanned).
    func markStackRoots() -> (precise: Int, conservative: Int) {
        stackWalker.resetTimer()
        store.markingStackRoots = true
        defer { store.markingStackRoots = false }
        for address in rootSet.jitReturns { store.markStackRoot(resume: address, probe: address) }
        if recordsStackRoots { stackRootLog.jitReturns += rootSet.jitReturns }
        var precise = 0
        var conservative = 0
        let mode = configuration.stackWalk
        if configuration.walksCurrentThread {
            let outcome = stackWalker.walkCurrentThread(mode: mode)
            if outcome == .precise { precise += 1 } else { conservative += 1 }
            store.markFound(stackWalker.found, conservative: outcome != .precise)
            rootSet.nativeReturns.append(contentsOf: stackWalker.found)
            if recordsStackRoots { recordNativeRoots(conservative: outcome != .precise) }
        }
        for stack in rootSet.stacks {
            let outcome: StackWalkOutcome
            if let context = stack.context, mode != .conservative {
                outcome = stackWalker.walk(context: context, stack: stack.stack)
            } else {
                stackWalker.scan(stack.stack)
                outcome = .conservative
            }
            if outcome == .precise { precise += 1 } else { conservative += 1 }
            store.markFound(stackWalker.found, conservative: outcome != .precise)
            rootSet.nativeReturns.append(contentsOf: stackWalker.found)
            if recordsStackRoots { recordNativeRoots(conservative: outcome != .precise) }
        }
        store.drainWorklist()
        return (precise, conservative)
    }
}

extension CodeGC {
    /// Appends the last walked stack's addresses to ``stackRootLog``.
    func recordNativeRoots(conservative: Bool) {
        if conservative { stackRootLog.conservativeStackCount += 1 }
        for address in stackWalker.found {
            stackRootLog.nativeAddresses.append(address)
            if let page = store.pageTable.page(of: address - 1) { stackRootLog.nativeStackPages.append(page) }
        }
    }
}
