// Marking: which blocks, stubs and pages must survive this collection.
//
// A block is *kept* (its code and metadata survive; its pages, side exits and return-point exits are
// marked) when any root or live branch reaches it. It is also *followed* (its outgoing branches mark their
// targets) when execution can continue inside it: it is an entry, a live branch leads to it, a compilation
// is filling it, or a frame returns into it anywhere but at a return point already patched to an exit.
// Stubs targeted by followed branches are kept with their pages.

import CShims

extension GraphStore {
    /// Blocks ahead in the work queue whose nodes are prefetched: enough to overlap several misses, few
    /// enough that the lines are still cached when their turn comes.
    static let prefetchDistance = 16

    /// Starts a collection's marking.
    mutating func beginMarking() {
        epoch = epoch == UInt32.max ? 1 : epoch + 1
        pagesPinnedThisCollection = 0
        if pinnedPageLog != nil { pinnedPageLog = [] }
        worklist.removeAll()
        worklistHead = 0
        keptUnfollowedBlocks.clear()
        followedBlocks.clear()
    }

    /// Whether this collection keeps the block in `slot`.
    @inline(__always)
    func isKept(_ slot: Int) -> Bool { followedBlocks.contains(slot) || keptUnfollowedBlocks.contains(slot) }

    /// Kept bits of slots `64 * word ..< 64 * word + 64`.
    @inline(__always)
    func keptWord(_ word: Int) -> UInt64 { followedBlocks.word(word) | keptUnfollowedBlocks.word(word) }

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

    /// Keeps and queues the live block in `slot` (its pages are marked when it is taken from the queue).
    @inline(__always)
    mutating func follow(slot: Int) {
        guard followedBlocks.insert(slot) else { return }
        worklist.append(UInt32(truncatingIfNeeded: slot))
    }

    /// Keeps `block` if it is live; queues it to be followed when `follow` is set. For roots, whose
    /// handles may be stale: checks the generation.
    mutating func reach(_ block: BlockID, follow: Bool) {
        let handle = block.handle
        guard blocks.contains(handle) else { return }
        let slot = Int(handle.index)
        if follow { return self.follow(slot: slot) }
        if !followedBlocks.contains(slot) && keptUnfollowedBlocks.insert(slot) { markPages(ofSlot: slot) }
    }

    /// Marks the pages a kept block's code and references lie on.
    @inline(__always)
    mutating func markPages(ofSlot slot: Int) {
        let page = markNodes[slot].page
        if page != MarkNode.severalPages { markPage(Int(page)) } else { markPagesFromRecord(slot) }
    }

    /// The rare case: code or references on more than one page.
    @inline(never)
    mutating func markPagesFromRecord(_ slot: Int) {
        guard let handle = blocks.handle(atSlot: slot) else { return }
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

    /// Marks what one edge of the block in `slot` leads to. A newly reached block whose node shares the
    /// cache line of `slot`'s becomes `next` (processed right away, while the line is loaded) if `next` is
    /// still free; other blocks are queued.
    @inline(__always)
    mutating func followEdge(_ edge: UInt32, ofSlot slot: Int, position: Int, next: inout Int) {
        if MarkEdge.isBlock(edge) {
            let target = Int(edge)
            guard followedBlocks.insert(target) else { return }
            if next < 0 && target ^ slot < MarkNode.perCacheLine {
                next = target
            } else {
                worklist.append(edge)
            }
        } else if edge < MarkEdge.fromRecords {
            markPage(Int(edge & ~MarkEdge.pageFlag))
        } else if edge == MarkEdge.fromRecords {
            followEdgesFromRecords(ofSlot: slot, from: position)
        }
    }

    /// The rare case: edge `position` of the block in `slot` (and, from position 2, every later one) as its
    /// branch records say. Record destinations may name freed blocks: checked by generation.
    @inline(never)
    mutating func followEdgesFromRecords(ofSlot slot: Int, from position: Int) {
        guard let handle = blocks.handle(atSlot: slot) else { return }
        let last = position < 2 ? position : Int.max
        for branchIndex in 0..<blocks[handle].outgoing.count {
            let branch = blocks[handle].outgoing[branchIndex].handle
            guard branches.contains(branch) else { continue }
            let first = Int(branchEdgePositions[Int(branch.index)])
            for index in 0..<branches[branch].targets.count where (position...last).contains(first + index) {
                switch branches[branch].targets[index].destination {
                case .block(let target): reach(target, follow: true)
                case .stub(let stub): markStub(stub)
                case .address(let address): if let page = pageTable.page(of: address) { markPage(page) }
                case .unlinked: break
                }
            }
        }
    }

    /// Follows queued blocks until the work queue is empty: marks each one's pages and follows its edges.
    /// Every queued slot holds a live block, and its edges name live blocks (the store's invariant).
    /// Blocks compiled one after another usually have neighbouring slots, so a successor in the same
    /// cache line is followed at once; the others wait in the queue, whose nodes are prefetched.
    mutating func drainWorklist() {
        let nodes = markNodes.base
        while worklistHead < worklist.count {
            let ahead = worklistHead + Self.prefetchDistance
            if ahead < worklist.count { jr_prefetch(nodes + Int(worklist[ahead])) }
            var slot = Int(worklist[worklistHead])
            worklistHead += 1
            repeat {
                let node = nodes[slot]
                if node.page != MarkNode.severalPages { markPage(Int(node.page)) } else { markPagesFromRecord(slot) }
                var next = -1
                followEdge(node.edge0, ofSlot: slot, position: 0, next: &next)
                followEdge(node.edge1, ofSlot: slot, position: 1, next: &next)
                followEdge(node.edge2, ofSlot: slot, position: 2, next: &next)
                slot = next
            } while slot >= 0
        }
        worklist.removeAll()
        worklistHead = 0
    }

    /// Graph roots: pages held by writers, blocks of open compilations, entries of owners.
    mutating func markGraphRoots() {
        for page in pageTable.pages.storedPages where pageTable.pages[page].writerHolds > 0 { markPage(page) }
        for block in inFlightBlocks { reach(block, follow: true) }
        // Entries of owners, from the root bitmap (set only for live blocks; the owners' entry lists hold
        // the same blocks).
        for word in 0..<entryBlocks.wordCount {
            var bits = entryBlocks.word(word)
            while bits != 0 {
                follow(slot: word << 6 | bits.trailingZeroBitCount)
                bits &= bits - 1
            }
        }
        drainWorklist()
    }

    /// Clears edges of blocks kept but not followed (reached only as stack roots at patched return points,
    /// or through their side exits) into blocks this collection does not keep, which the sweep frees.
    /// Followed blocks kept all their targets, so only these can hold such edges; typically few.
    mutating func forgetEdgesIntoUnkeptBlocks() {
        for word in 0..<keptUnfollowedBlocks.wordCount {
            var bits = keptUnfollowedBlocks.word(word) & ~followedBlocks.word(word)
            while bits != 0 {
                let slot = word << 6 | bits.trailingZeroBitCount
                bits &= bits - 1
                for position in 0..<MarkNode.inlinePositions {
                    let edge = markNodes[slot][position]
                    if MarkEdge.isBlock(edge) && !isKept(Int(edge)) { markNodes[slot][position] = MarkEdge.none }
                }
            }
        }
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
                guard blocks.contains(block.handle) else { return }
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
        store.forgetEdgesIntoUnkeptBlocks()
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
