// Invalidation: making a block not entrant while its code stays intact.
//
// Why the code cannot be freed here (the seed's example): a method whose compiled code calls
// `remove_method` on itself invalidates its own block from inside a C function; INT3-ing the block now
// would make that C function return into a sea of INT3. So invalidation only stops *new* entries:
// - its entry registration is removed (the client is told, and resets its entry pointer);
// - every live branch into it is retargeted to a fresh stub (the client's `makeStub`);
// - every return point is retargeted to an exit (the client's `makeReturnExit`), recorded as the block's
//   reference, so a frame that returns into it leaves at once;
// - its own branches stop keeping their targets alive: in A -> B -> C -> D, invalidating B leaves C and D
//   to the collector unless something else reaches them.
// The collector frees the block once no root (stack, `jit_return`) can reach it any more.

extension CodeGC {
    /// Makes `block` not entrant (see the file comment). Needs ``codeFactory`` when the block has incoming
    /// branches or return points. If a stub cannot be generated for an incoming branch, that branch's
    /// source block is invalidated too, so nothing ever jumps into invalidated code. Invalidating an
    /// invalidated block does nothing.
    public func invalidate(_ block: BlockID) throws(CodeGCError) {
        try checkBlock(block)
        try invalidateCascading(block)
        flushEntryNotifications()
    }

    /// Invalidates several blocks (e.g. every block of an owner) with one pass of notifications.
    func invalidateAll(_ roots: [BlockID]) throws(CodeGCError) {
        for block in roots { try invalidateCascading(block) }
    }

    /// Invalidates `root` and the sources of branches into it that got no stub (rare: the cascade list
    /// stays empty and allocates nothing).
    func invalidateCascading(_ root: BlockID) throws(CodeGCError) {
        var pending: [BlockID] = []
        var next: BlockID? = root
        while let block = next ?? pending.popLast() {
            next = nil
            guard store.blocks.contains(block.handle), store.blocks[block.handle].state == .live else { continue }
            let needsFactory = !store.blocks[block.handle].incoming.isEmpty || !store.blocks[block.handle].returnPoints.isEmpty
            if needsFactory && codeFactory == nil { throw .noCodeFactory }
            store.blocks[block.handle].state = .invalidated
            removeEntry(block)
            detachOutgoing(block)
            try repointIncoming(block, cascade: &pending)
            try patchReturnPoints(block)
        }
    }

    func removeEntry(_ block: BlockID) {
        guard store.blocks[block.handle].isEntry else { return }
        store.setEntryFlag(block, false)
        let owner = store.blocks[block.handle].owner
        if let slot = store.owners.slot(of: owner) { store.owners[slot: slot].entries.removeAll { $0 == block } }
        pendingEntryRemovals.append((block, owner))
    }

    /// The block's branches stop being live: removed from their targets' incoming lists, never patched again.
    func detachOutgoing(_ block: BlockID) {
        for branch in store.blocks[block.handle].outgoing {
            guard store.branches.contains(branch.handle), store.branches[branch.handle].state == .live else { continue }
            store.branches[branch.handle].state = .invalidated
            for index in store.branches[branch.handle].targets.indices {
                guard case .block(let target) = store.branches[branch.handle].targets[index].destination,
                      store.blocks.contains(target.handle) else { continue }
                store.blocks[target.handle].incoming.removeAll { $0 == branch }
            }
        }
    }

    /// Retargets every live branch into `block` to a new stub; a branch that gets no stub invalidates its
    /// source instead.
    func repointIncoming(_ block: BlockID, cascade: inout [BlockID]) throws(CodeGCError) {
        let incoming = store.blocks[block.handle].incoming
        store.blocks[block.handle].incoming.removeAll()
        for branch in incoming {
            guard store.branches.contains(branch.handle), store.branches[branch.handle].state == .live else { continue }
            for index in store.branches[branch.handle].targets.indices {
                guard case .block(block) = store.branches[branch.handle].targets[index].destination else { continue }
                let source = store.branches[branch.handle].source
                let request = StubRequest(
                    branch: branch, targetIndex: index, key: store.branches[branch.handle].targets[index].key,
                    sourceBlock: source, owner: store.blocks[source.handle].owner)
                let factory = codeFactory
                let stub = try? makeStub(branch: branch, target: index, key: request.key) { id throws(CodeGCError) in
                    guard let range = factory?.makeStub(id, for: request) else {
                        throw .codeGenerationFailed("no room for a stub")
                    }
                    return range
                }
                if let stub {
                    store.setDestination(branch, index, .unlinked)
                    try pointTarget(branch, index, at: .stub(stub))
                } else {
                    // The branch keeps jumping into `block`; make its source unreachable for new entries too.
                    cascade.append(source)
                }
            }
        }
    }

    /// Retargets each unpatched return point to a client exit and records the exit as a reference.
    func patchReturnPoints(_ block: BlockID) throws(CodeGCError) {
        let owner = store.blocks[block.handle].owner
        for index in store.blocks[block.handle].returnPoints.indices {
            let point = store.blocks[block.handle].returnPoints[index]
            guard !point.isPatched, let exit = codeFactory?.makeReturnExit(for: block, owner: owner, at: point) else {
                continue
            }
            try checkCode(exit)
            try space.retargetJump(at: point.jumpAddress, to: exit.lowerBound)
            store.blocks[block.handle].returnPoints[index].isPatched = true
            store.addReference(block, range: exit)
        }
    }

    func flushEntryNotifications() {
        guard !pendingEntryRemovals.isEmpty else { return }
        // By index, keeping the buffer: a notification that causes more removals is handled in this loop.
        let client = roots  // one weak load for the batch
        var index = 0
        while index < pendingEntryRemovals.count {
            let (block, owner) = pendingEntryRemovals[index]
            index += 1
            client?.codeGC(self, didRemoveEntry: block, of: owner)
        }
        pendingEntryRemovals.removeAll(keepingCapacity: true)
    }
}

extension CodeGC {
    /// Invalidates every live block at once (`JIT.discard_all`, a TracePoint, a redefined core operator):
    /// every entry removed (the client is told), every branch dead, every return point patched to an exit.
    /// As no live block remains, no branch needs a stub, so this needs no outlined room beyond the exits.
    /// Code on stacks stays until its frames are gone; the next collections free the rest.
    public func invalidateAllBlocks() throws(CodeGCError) {
        var victims: [BlockID] = []
        for slot in 0..<store.blocks.slotCount {
            guard let handle = store.blocks.handle(atSlot: slot), store.blocks[handle].state == .live else { continue }
            victims.append(BlockID(handle))
        }
        if codeFactory == nil, victims.contains(where: { !store.blocks[$0.handle].returnPoints.isEmpty }) {
            throw .noCodeFactory
        }
        for block in victims {
            store.blocks[block.handle].state = .invalidated
            removeEntry(block)
        }
        for block in victims {
            detachOutgoing(block)
            store.blocks[block.handle].incoming.removeAll()
        }
        for block in victims { try patchReturnPoints(block) }
        flushEntryNotifications()
    }
}
