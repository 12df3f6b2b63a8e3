import CodeGC
import GuestVM

/// The guest's roots for the code collector, and what it must do when code stops being entrant.
extension GuestJIT: CodeGCRoots {
    public func addRoots(to roots: inout CodeGCRootSet) {
        // Collections start under the VM lock (compilation, stub hits, JIT.code_gc): stop every other
        // thread now, until the lock is released; each parked thread's stack is walked from its context.
        vm.stopWorldUntilUnlock()
        // Before the collector reads the entries: an unused shared body must not survive as one.
        releaseIdleBody()
        unreachableCode.collectionStarted(owners: liveOwnerCount)
        codeCollections &+= 1
        vm.forEachParkedThread { context, stack in roots.addSavedContext(context, stack: stack) }
        observer?.jitWillCollect(self)
        vm.forEachFrame { _, frame in
            if let address = frame.pointee.jitReturn { roots.addJITReturn(UInt(bitPattern: address)) }
        }
        // Suspended fibers: their native stacks (JIT frames under Fiber.yield) are walked from the saved context.
        vm.forEachSuspendedFiber { context, stack in roots.addSavedContext(context, stack: stack) }
        // Collecting inside a fiber: the stacks that resumed it wait in a switch, JIT frames on them too.
        vm.forEachWaitingResumer { context, stack in roots.addSavedContext(context, stack: stack) }
    }

    /// The object literals of ISEQs that died while their compiled code still exists: that code embeds
    /// them (`putObject`), so they stay alive until the collector frees it. A dead ISEQ's code cannot run
    /// (frames keep their ISEQs alive), but nothing may point at a freed object while the code exists.
    public func forEachObjectRoot(_ body: (Value) -> Void) {
        for (_, values) in retiredLiterals {
            for v in values { body(v) }
        }
    }

    public func codeGC(_ collector: CodeGC, didRemoveEntry block: BlockID, of owner: CodeOwnerID) {
        guard let record = owners[owner] else {
            if let body = sharedBodies[owner] { sharedBodyLostEntry(body) }
            return bumpCallCacheSerial()
        }
        entriesRemoved(record)
    }

    /// `record`'s entries are gone: cached calls must miss, and its ISEQ is interpreted until compiled anew.
    func entriesRemoved(_ record: OwnerRecord) {
        bumpCallCacheSerial()
        record.clearVersions()
        guard record.alive else { return }
        // The next call counts up to the threshold again and compiles afresh (or keeps interpreting).
        record.iseq.jitEntry = nil
        record.iseq.callCount = 0
    }

    /// Hysteresis against thrashing: an evicted method runs interpreted until it has been called
    /// ``recompileDelay(afterEvictions:)`` more times, a delay that doubles with each eviction. A cyclic
    /// working set larger than the region then settles into a compiled part that fits and an interpreted
    /// rest, instead of compiling and evicting on every cycle.
    public func codeGC(_ collector: CodeGC, didEvict evicted: [CodeOwnerID]) {
        for owner in evicted {
            if let body = sharedBodies[owner] {
                for user in body.evictedUsers where user.alive {
                    user.evictions += 1
                    user.iseq.callCount = -recompileDelay(afterEvictions: user.evictions)
                }
                body.evictedUsers.removeAll()
                continue
            }
            guard let record = owners[owner], record.alive else { continue }
            record.evictions += 1
            record.iseq.callCount = -recompileDelay(afterEvictions: record.evictions)
        }
    }

    /// Calls an ISEQ evicted `evictions` times must make before it is compiled again.
    func recompileDelay(afterEvictions evictions: Int) -> Int {
        configuration.evictionBackoff << min(max(evictions - 1, 0), 12)
    }

    public func codeGC(_ collector: CodeGC, didFreeAllCodeOf freed: [CodeOwnerID]) {
        for owner in freed {
            if let body = sharedBodies[owner] {
                sharedBodies.remove(body)
                continue
            }
            guard let record = owners[owner] else { continue }
            if record.alive {
                for address in record.returnPoints { returnExits[address] = nil }
                record.returnPoints.removeAll()
            } else {
                forgetDeadOwner(record)
            }
        }
    }
}

extension GuestJIT: InvalidationCodeFactory {
    public func makeStub(_ stub: StubID, for request: StubRequest) -> Range<UInt>? {
        guard let page = currentPage, region.makeRoom(inline: 0, outlined: Self.stubSize, in: .init(page)) else { return nil }
        return try? emitStub(stub)
    }

    public func makeReturnExit(for block: BlockID, owner: CodeOwnerID, at point: ReturnPoint) -> Range<UInt>? {
        guard let info = returnExits[point.jumpAddress] else { return nil }
        return emitReturnExit(info)
    }
}

extension GuestJIT: MethodChangeObserver {
    /// Operators the compiled fast paths assume are Integer's own.
    static let assumedOperators = ["+", "-", "*", "<", "<=", ">", ">=", "==", "!=", "!"]

    public func methodChanged(in klass: RClass, name: String, nameID: Int) {
        bumpCallCacheSerial()
        if assumedOperatorIDs.contains(nameID), klass === vm.integerClass || vm.integerClass.isSubclass(of: klass) {
            invalidateAll()
            return
        }
        // A method's code assumes it is still the method its name finds: removing or redefining it makes
        // that code not entrant (frames running it return through patched return points).
        for record in owners.owners(named: nameID) { invalidate(record) }
    }
}

extension GuestJIT {
    /// Makes every block of `owner` not entrant (its code stays until no frame can return into it).
    func invalidate(_ owner: CodeOwnerID) {
        guard let record = owners[owner] else { return }
        invalidate(record)
    }

    /// Makes every block of `record`'s owner not entrant.
    func invalidate(_ record: OwnerRecord) {
        // A shared body's bytes stay as they are (other ISEQs may run them): only this ISEQ leaves it.
        if record.sharedBody != nil {
            detachSharedBody(record)
            counters.invalidations += 1
            return
        }
        // The versions list holds every live block of the owner (CodeGC's own `evict` scans all blocks).
        guard !record.versions.isEmpty else { return }
        // Room for stubs and return exits, if invalidation makes any: a tiny method (no return point, no
        // branch into its block) needs none, and asking for it could start a fresh page per redefinition.
        if record.versions.first(where: { gc.invalidationGeneratesCode($0.block) }) != nil {
            guard ensureOutlinedRoom(min(region.pageSize / 2, Self.stubSize * (4 + record.returnPoints.count))) else { return }
        }
        // A copy: removing the entries clears the record's versions.
        let blocks = record.versions
        unreachableCode.noteUnreachable(blocks.count)
        // The entries go first, here: invalidating an entry block would report its removal back through
        // the collector's client (`codeGC(_:didRemoveEntry:of:)`), a weak load and a call per redefinition.
        if gc.hasEntries(record.id) {
            gc.removeEntries(of: record.id)
            entriesRemoved(record)
        }
        blocks.forEach { version in
            guard gc.contains(version.block) else { return }
            do { try gc.invalidate(version.block) } catch {}
        }
        counters.invalidations += 1
        record.clearVersions()
    }

    /// Invalidates all code (TracePoint, `JIT.discard_all`, an Integer operator redefined).
    func invalidateAll() {
        owners.forEach { record in invalidate(record) }
        forgetSharedBodies()
    }

    /// Collects now; returns the pages freed.
    @discardableResult
    func collect() -> Int {
        vm.withVMLock { collectLocked() }
    }

    private func collectLocked() -> Int {
        guard configuration.codeGC, !gcBusy else { return 0 }
        gcBusy = true
        defer { gcBusy = false }
        do { return try gc.collect(reason: .requested).freedPages } catch { return 0 }
    }

    /// `JIT.discard_all`: invalidates everything, clears every frame's `jitReturn` (they return to the
    /// interpreter, which continues their callers at the saved pc), and collects.
    func discardAll() -> Int {
        vm.withWorldStopped {
            invalidateAll()
            vm.forEachFrame { _, frame in frame.pointee.jitReturn = nil }
            // The page being written now holds only discarded code (and the exits just made for it): stop
            // writing there, so it lives only while a frame still returns into it, like every other page.
            if let page = currentPage {
                currentPage = nil
                try? gc.releasePage(page)
            }
            return collect()
        }
    }
}
