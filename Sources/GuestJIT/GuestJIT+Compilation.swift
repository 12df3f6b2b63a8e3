import CodeGC
import CodeMemory
import GuestVM
import X86Assembler

extension GuestJIT {
    /// Versions of one instruction beyond which branches get the generic context.
    static let versionLimit = 4
    /// Outlined bytes a stub or a return exit needs.
    static let stubSize = 64

    /// Compiles (or finds) the version of `owner`'s block at `pc` for `context` and registers it with
    /// CodeGC: ranges, side exits, return points, branches (linked to existing versions, else stubs).
    func compileBlock(_ iseq: ISeq, owner: CodeOwnerID, pc: Int, context: TypeContext) -> BlockID? {
        // An owner without a record (its ISEQ died and its code was freed) compiles into a throwaway one.
        let record = owners[owner] ?? OwnerRecord(id: owner, iseq: iseq, nameID: nil)
        var context = context
        if record.versionCount(at: pc) >= Self.versionLimit { context = context.generic }
        let key = context.key(pc: pc)
        if let existing = liveVersion(record, key) { return existing }
        if configuration.stressGC { collect() }
        record.hasOwnCode = true
        gc.beginCompilation()
        defer { gc.endCompilation() }
        let entryCounter = pc == 0 ? gc.entryCounter(for: owner) : nil
        guard var placed = placeBlock(startPC: pc, failureMemo: (record, key), {
            BlockCompiler(jit: self, iseq: iseq, owner: owner, context: context, entryCounter: entryCounter,
                          scratch: &compileScratch)
        }) else { return nil }
        // Used in place: the compiler's scratch buffers stay uniquely referenced (no copy when handed back).
        let code = placed.code
        defer {
            for page in placed.compiler.heldPages { try? gc.releasePage(page) }
            placed.compiler.finish(into: &compileScratch)
        }
        // Room for every stub the block's branches will need, before anything is registered: a block
        // registered with a branch left without its stub would jump to `exitInterpret` with the frame's
        // pc and sp never written (the interpreter resumed a stale frame state: wrong results).
        let stubsNeeded = placed.compiler.branches.reduce(0) { count, branch in
            count + branch.0.keys.filter { liveVersion(record, effectiveKey(record, $0)) == nil }.count
        }
        if stubsNeeded > 0 && !ensureOutlinedRoom(stubsNeeded * Self.stubSize) { return nil }
        var registered: BlockID?
        do {
            let block = try gc.addBlock(owner: owner, key: key, ranges: code.ranges)
            registered = block
            for range in code.outlined { try gc.addReference(block, range: range) }
            for point in placed.compiler.returnPoints {
                let chunk = placed.compiler.chunks[point.chunkIndex]
                let returnAddress = chunk.inline.address(of: point.label)!
                try gc.addReturnPoint(block, ReturnPoint(returnAddress: returnAddress, jumpAddress: point.jump.address))
                returnExits[point.jump.address] = point.info
                record.returnPoints.append(point.jump.address)
            }
            record.setVersion(key, block)
            record.countVersion(at: pc)
            counters.compiledBlocks += 1
            observer?.jit(self, didCompile: block, iseq: iseq, pcs: pc...max(pc, placed.compiler.lastPC),
                          code: code.ranges, outlined: code.outlined)
            for (pending, _) in placed.compiler.branches {
                let targets = zip(pending.jumps, pending.keys).map { BranchTargetSpec(jumpAddress: $0.address, key: $1) }
                let branch = try gc.addBranch(from: block, targets: targets)
                for index in targets.indices {
                    if let target = liveVersion(record, effectiveKey(record, targets[index].key)) {
                        try gc.linkBranch(branch, target: index, to: target)
                    } else {
                        guard ensureOutlinedRoom(Self.stubSize) else { throw CodeGCError.codeGenerationFailed("no room for a stub") }
                        try gc.addStub(for: branch, target: index) { stub in
                            try self.emitStub(stub)
                        }
                    }
                }
            }
            return block
        } catch {
            // Never hand out a half-registered block: nothing enters or links to it, so it is garbage.
            if let registered, record.version(key) == registered { record.setVersion(key, nil) }
            return nil
        }
    }

    /// `key`, or its generic form when its instruction already has too many versions.
    func effectiveKey(_ record: OwnerRecord, _ key: UInt64) -> UInt64 {
        let (pc, context) = TypeContext.decode(key)
        if record.versionCount(at: pc) >= Self.versionLimit { return context.generic.key(pc: pc) }
        return key
    }

    func liveVersion(_ record: OwnerRecord, _ key: UInt64) -> BlockID? {
        guard let block = record.version(key) else { return nil }
        if gc.isLive(block) { return block }
        record.setVersion(key, nil)
        return nil
    }

    /// The call cache of a send site (shared by every version compiled for it; lives with the JIT).
    func callCache(for callSite: UnsafeMutablePointer<CallSite>, owner: CodeOwnerID) -> UnsafeMutableRawPointer {
        if let record = callCaches[UInt(bitPattern: callSite)] { return record }
        let record = CallCache.allocate()
        callCaches[UInt(bitPattern: callSite)] = record
        owners[owner]?.callSites.append(UInt(bitPattern: callSite))
        return record
    }

    // MARK: Pages

    /// A fresh page held by the caller (released once its block is registered), or nil when the region
    /// is full and nothing can be freed.
    func freshPage() -> Int? {
        do { return try gc.allocatePage() } catch { return nil }
    }

    /// The current page if it has (or can re-divide its free middle into) room for a block's first
    /// instruction, else a new current page. No code is being assembled here, so the page may re-divide.
    func pageWithRoom() -> Int? {
        let inline = BlockCompiler.inlineReserve + 64, outlined = BlockCompiler.outlinedReserve + 64
        if let page = currentPage, region.makeRoom(inline: inline, outlined: outlined, in: PageIndex(page)) {
            return page
        }
        guard let page = switchCurrentPage() else { return nil }
        _ = region.makeRoom(inline: inline, outlined: outlined, in: PageIndex(page))
        return page
    }

    func switchCurrentPage() -> Int? {
        if let old = currentPage {
            currentPage = nil
            try? gc.releasePage(old)
        }
        guard let page = freshPage() else { return nil }
        currentPage = page
        return page
    }

    /// Makes sure the current page's outlined window has `bytes` free (switching pages if not).
    func ensureOutlinedRoom(_ bytes: Int) -> Bool {
        if let page = currentPage, region.makeRoom(inline: 0, outlined: bytes, in: PageIndex(page)) { return true }
        guard let page = switchCurrentPage() else { return false }
        return region.makeRoom(inline: 0, outlined: bytes, in: PageIndex(page))
    }

    // MARK: Stubs and exits

    /// Emits a stub in the current page's outlined half: calls the stub-hit helper with the stub's id and
    /// jumps where it answers.
    func emitStub(_ stub: StubID) throws -> Range<UInt> {
        guard let page = currentPage else { throw CodeGCError.codeGenerationFailed("no current page") }
        let p = PageIndex(page)
        var asm = Assembler(baseAddress: region.bumpAddress(.outlined, of: p), capacity: 64)
        asm.mov(.rdi, .r12)
        asm.movabs(.rsi, stub.rawValue)
        asm.mov(.rdx, .r13)
        asm.movabs(.rax, UInt64(JITHelpers.stubHitAddress))
        asm.call(.rax)
        asm.jmp(.rax)
        let bytes = try asm.finalize()
        let address = try region.emit(bytes, in: .outlined, of: p)
        counters.outlinedBytes += bytes.count
        return address..<(address + UInt(bytes.count))
    }

    /// Emits, without switching pages (this runs inside CodeGC calls), an exit resuming the interpreter.
    func emitReturnExit(_ info: ReturnExitInfo) -> Range<UInt>? {
        guard let page = currentPage else { return nil }
        let p = PageIndex(page)
        guard region.makeRoom(inline: 0, outlined: Self.stubSize, in: p) else { return nil }
        var asm = Assembler(baseAddress: region.bumpAddress(.outlined, of: p), capacity: 64)
        Self.emitExit(&asm, pc: info.pc, spDisplacement: info.spDisplacement, epilogue: shared.epilogue)
        guard let bytes = try? asm.finalize(), let address = try? region.emit(bytes, in: .outlined, of: p) else { return nil }
        counters.outlinedBytes += bytes.count
        return address..<(address + UInt(bytes.count))
    }

    // MARK: Stub hits

    /// Services a stub hit from frame `cfp`; returns where the stub jumps. `vm` borrowed (see `withVM`).
    func stubHit(_ stub: StubID, cfp: UnsafeMutablePointer<ControlFrame>, vm: VM) -> UInt {
        // Frames JIT code pushed itself (cached calls) are visible to the collector only from here: their
        // `jitReturn` is the sole root of a caller block that was invalidated meanwhile.
        JITHelpers.context(runtime.base)._withUnsafeGuaranteedRef { $0.cfp = cfp }
        if vm.traceEvents != 0 { return exitFromStubForTracing(stub, cfp: cfp) }
        if configuration.stressGC { collect() }
        switch gc.stubHit(stub) {
        case .resolved(let block):
            if let address = gc.entryAddress(of: block) { return address }
            return exitFromStub(cfp, key: nil)
        case .compile(let request):
            let iseq = iseq(of: cfp)
            let (pc, context) = TypeContext.decode(request.key)
            guard let block = compileBlock(iseq, owner: request.owner, pc: pc, context: context),
                  let address = gc.entryAddress(of: block) else {
                return exitFromStub(cfp, key: request.key)
            }
            // The branch may have died meanwhile (a collection during compilation): just continue.
            try? gc.linkBranch(request.branch, target: request.targetIndex, to: block)
            return address
        case .branchInvalidated(let key):
            return exitFromStub(cfp, key: key)
        case .stale:
            return exitFromStub(cfp, key: nil)
        }
    }

    /// Writes the frame state a branch target expects and leaves to the interpreter.
    func exitFromStub(_ cfp: UnsafeMutablePointer<ControlFrame>, key: UInt64?) -> UInt {
        if let key {
            let iseq = iseq(of: cfp)
            let (pc, context) = TypeContext.decode(key)
            cfp.pointee.pc = iseq.code + pc
            cfp.pointee.sp = cfp.pointee.ep + iseq.localCount + context.depth
        }
        runtime.word(RuntimeBlock.cfp).pointee = UInt64(UInt(bitPattern: cfp))
        runtime.word(RuntimeBlock.sideExits).pointee += 1
        return shared.exitInterpret
    }
}
