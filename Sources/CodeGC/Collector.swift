/// Why a collection runs.
public enum CollectionReason: Sendable, Equatable {
    /// The client asked (e.g. `JIT.code_gc`).
    case requested
    /// An allocation found the region full; it is retried once afterwards.
    case regionFull
    /// Allocated pages crossed the policy's occupancy threshold.
    case occupancy
}

/// What one collection did.
public struct CollectionReport: Sendable, Equatable {
    /// Why it ran.
    public var reason: CollectionReason
    /// Pages freed (eviction's second pass included).
    public var freedPages: Int
    /// Indices of the pages freed (eviction's second pass included).
    public var freedPageIndices: [Int] = []
    /// Block records freed.
    public var freedBlocks: Int
    /// Stub records freed.
    public var freedStubs: Int
    /// Pages kept only by stack roots.
    public var pinnedPages: Int
    /// Native stacks walked precisely / scanned conservatively.
    public var preciseStacks: Int
    /// Native stacks scanned conservatively.
    public var conservativeStacks: Int
    /// Owners evicted to make room.
    public var evictedOwners: [CodeOwnerID]
    /// Owners left with no code at all.
    public var ownersWithoutCode: [CodeOwnerID]
    /// Pause split, nanoseconds.
    public var stackWalkNs: UInt64
    /// Marking time (stack walks excluded).
    public var markNs: UInt64
    /// Sweeping time.
    public var sweepNs: UInt64
    /// Whole pause.
    public var pauseNs: UInt64
    /// What the stack roots held (both passes when eviction ran a second one); only while
    /// ``CodeGC/recordsStackRoots`` is set.
    public var stackRoots: StackRootRecord?
}

extension CodeGC {
    /// Collects now: marks from entries of live owners, open compilations, pages held by writers, the
    /// client's `jit_return`s and every native stack, then frees unmarked pages (INT3, memory returned),
    /// the metadata of unmarked blocks, and stubs on freed pages. May evict cold owners when the policy
    /// says live code alone overflows (see ``CollectionPolicy``). Returns what it did.
    @discardableResult
    public func collect(reason: CollectionReason = .requested) throws(CodeGCError) -> CollectionReport {
        guard !isCollecting else { throw .collectionInProgress }
        isCollecting = true
        defer { isCollecting = false }
        if recordsStackRoots {
            stackRootLog = StackRootRecord()
            store.pinnedPageLog = []
        } else {
            store.pinnedPageLog = nil
        }
        let start = CodeGC.now()
        var report = try markAndSweep(reason: reason)
        let evicted = try evictIfOverflowing(reason: reason)
        if !evicted.isEmpty {
            let second = try markAndSweep(reason: reason)
            report.freedPages += second.freedPages
            report.freedPageIndices += second.freedPageIndices
            report.freedBlocks += second.freedBlocks
            report.freedStubs += second.freedStubs
            report.ownersWithoutCode += second.ownersWithoutCode
            report.stackWalkNs += second.stackWalkNs
            report.markNs += second.markNs
            report.sweepNs += second.sweepNs
            report.evictedOwners = evicted
        }
        let pause = CodeGC.now() - start
        report.pauseNs = pause
        statistics.codeGCCount += 1
        statistics.freedPageCount += report.freedPages
        statistics.freedCodeSize += report.freedPages * store.pageTable.pageSize
        statistics.pinnedPageCount = report.pinnedPages
        statistics.preciseStackCount += report.preciseStacks
        statistics.conservativeStackCount += report.conservativeStacks
        statistics.evictedOwnerCount += evicted.count
        statistics.gcPauseNsLast = pause
        statistics.gcPauseNsMax = max(statistics.gcPauseNsMax, pause)
        statistics.stackWalkNsLast = report.stackWalkNs
        statistics.markNsLast = report.markNs
        statistics.sweepNsLast = report.sweepNs
        liveAfterLastCollection = allocatedPages
        if recordsStackRoots {
            stackRootLog.nativeStackPages = Array(Set(stackRootLog.nativeStackPages)).sorted()
            stackRootLog.pinnedPages = Array(Set(stackRootLog.pinnedPages)).sorted()
            report.stackRoots = stackRootLog
        }
        flushEntryNotifications()
        if !evicted.isEmpty { roots?.codeGC(self, didEvict: evicted) }
        if !report.ownersWithoutCode.isEmpty { roots?.codeGC(self, didFreeAllCodeOf: report.ownersWithoutCode) }
        if !report.freedPageIndices.isEmpty { roots?.codeGC(self, didFreePages: report.freedPageIndices) }
        collectionObserver?(report)
        return report
    }

    /// One mark and sweep pass.
    func markAndSweep(reason: CollectionReason) throws(CodeGCError) -> CollectionReport {
        store.beginMarking()
        rootSet.reset()
        roots?.addRoots(to: &rootSet)

        let markStart = CodeGC.now()
        store.markGraphRoots()
        let stacks = markStackRoots()
        let sweepStart = CodeGC.now()
        let swept = try sweep()
        let end = CodeGC.now()
        if let pinned = store.pinnedPageLog { stackRootLog.pinnedPages += pinned }
        metadataBytesStale = true  // measured when next read (``stats``), outside the pause
        updateOwnerActivity()
        return CollectionReport(
            reason: reason, freedPages: swept.freedPages, freedPageIndices: swept.freedPageIndices,
            freedBlocks: swept.freedBlocks,
            freedStubs: swept.freedStubs, pinnedPages: store.pagesPinnedThisCollection,
            preciseStacks: stacks.precise, conservativeStacks: stacks.conservative, evictedOwners: [],
            ownersWithoutCode: swept.ownersWithoutCode, stackWalkNs: stackWalker.walkNs,
            markNs: (sweepStart - markStart) - min(sweepStart - markStart, stackWalker.walkNs),
            sweepNs: end - sweepStart, pauseNs: end - markStart)
    }
}
