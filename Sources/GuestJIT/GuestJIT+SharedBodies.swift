import CodeGC
import GuestVM

/// Compiling through ``SharedBodies``: reuse, first compilation, and the ends of a user's or a body's use.
extension GuestJIT {
    enum SharedEntry {
        /// `jitEntry` is the shared body's.
        case entered
        /// It does not qualify: compile it as its own.
        case notShareable
        /// It qualifies but no room was found for its code.
        case noRoom
    }

    /// Gives `iseq` a shared body's code as its entry: an existing one with its bytecode, else one compiled
    /// now.
    func enterSharedBody(_ iseq: ISeq, _ record: OwnerRecord) -> SharedEntry {
        guard !record.unshareable, SharedBodies.isCandidate(iseq) else { return .notShareable }
        if let body = sharedBodies.body(for: iseq) {
            if sharedBodies.idle === body {
                // Still an entry: its last user was replaced just now.
                sharedBodies.idle = nil
                attach(record, to: body)
                counters.sharedBodyReuses += 1
                return .entered
            }
            // Its entry went with its last user: still in the region (not collected), it is entered again.
            if gc.isLive(body.block), (try? gc.setEntry(body.block)) != nil {
                attach(record, to: body)
                counters.sharedBodyReuses += 1
                return .entered
            }
            sharedBodies.remove(body)
        }
        sharingRefused = false
        guard let body = compileSharedBody(iseq, record, hash: SharedBodies.hash(iseq)) else {
            guard sharingRefused else { return .noRoom }
            record.unshareable = true
            return .notShareable
        }
        attach(record, to: body)
        return .entered
    }

    private func attach(_ record: OwnerRecord, to body: SharedBody) {
        record.sharedBody = body
        body.users.append(record)
        record.iseq.jitEntry = UnsafeRawPointer(bitPattern: body.entry)
    }

    /// Compiles `iseq`'s body for sharing, under an owner of its own, and makes it an entry.
    private func compileSharedBody(_ iseq: ISeq, _ record: OwnerRecord, hash: Int) -> SharedBody? {
        if configuration.stressGC { collect() }
        let owner = sharedBodies.newOwner()
        let context = TypeContext(depth: 0)
        // The placement memo of this attempt is kept apart from the ISEQ's own compilation's.
        let key = context.key(pc: 0) | SharedBodies.ownerTag
        gc.beginCompilation()
        defer { gc.endCompilation() }
        let entryCounter = gc.entryCounter(for: owner)
        guard var placed = placeBlock(startPC: 0, failureMemo: (record, key), {
            BlockCompiler(jit: self, iseq: iseq, owner: owner, context: context, entryCounter: entryCounter,
                          forSharing: true, scratch: &compileScratch)
        }) else {
            // Not shareable after all (the compiler said so, `sharingRefused`) or no room.
            gc.removeEntries(of: owner)
            return nil
        }
        let code = placed.code
        defer {
            for page in placed.compiler.heldPages { try? gc.releasePage(page) }
            placed.compiler.finish(into: &compileScratch)
        }
        do {
            let block = try gc.addBlock(owner: owner, key: context.key(pc: 0), ranges: code.ranges)
            for range in code.outlined { try gc.addReference(block, range: range) }
            counters.compiledBlocks += 1
            observer?.jit(self, didCompile: block, iseq: iseq, pcs: 0...placed.compiler.lastPC,
                          code: code.ranges, outlined: code.outlined)
            try gc.setEntry(block)
            guard let entry = gc.entryAddress(of: block) else { return nil }
            let body = SharedBody(owner: owner, block: block, entry: entry, hash: hash, iseq: iseq)
            sharedBodies.insert(body)
            return body
        } catch {
            return nil
        }
    }

    /// `record`'s ISEQ stops using its shared body (redefined, removed, dead, or everything invalidated):
    /// it is interpreted until compiled again, and a body left without users stops being an entry.
    func detachSharedBody(_ record: OwnerRecord) {
        guard let body = record.sharedBody else { return }
        record.sharedBody = nil
        if let index = body.users.firstIndex(where: { $0 === record }) { body.users.remove(at: index) }
        // Cached calls into this ISEQ must miss (like `entriesRemoved`).
        bumpCallCacheSerial()
        if record.alive {
            record.iseq.jitEntry = nil
            record.iseq.callCount = 0
        }
        guard body.users.isEmpty else { return }
        sharedBodies.recent = body
        if sharedBodies.idle !== body { releaseIdleBody() }
        sharedBodies.idle = body
    }

    /// The idle body (see ``SharedBodies/idle``) stops being an entry: the next collection frees it unless
    /// an ISEQ with its bytecode takes it first.
    func releaseIdleBody() {
        guard let body = sharedBodies.idle else { return }
        sharedBodies.idle = nil
        unreachableCode.noteUnreachable(1)
        if !gc.removeEntries(of: body.owner) { sharedBodies.remove(body) }
    }

    /// Invalidating everything: no user keeps a body and no body is reused (its code may rest on an
    /// assumption that just broke, e.g. an Integer operator).
    func forgetSharedBodies() {
        for body in sharedBodies.all {
            for user in body.users { detachSharedBody(user) }
            sharedBodies.retire(body)
        }
        releaseIdleBody()
    }

    /// The collector removed `body`'s entry (it evicted the code): every user is interpreted again.
    func sharedBodyLostEntry(_ body: SharedBody) {
        sharedBodies.retire(body)
        if sharedBodies.idle === body { sharedBodies.idle = nil }
        for user in body.users {
            user.sharedBody = nil
            guard user.alive else { continue }
            user.iseq.jitEntry = nil
            user.iseq.callCount = 0
        }
        body.evictedUsers = body.users
        body.users.removeAll()
    }
}
