import CShims
import GuestVM

/// Per-thread JIT state. JIT code reaches its runtime block through r12, and the block holds per-thread
/// words (the frame JIT code left at, the innermost entry's context and stack limits, the pending raise,
/// the interrupt flag), so every native thread runs JIT code with a block of its own: the VM's creating
/// thread (and its fibers) with `mainRuntime`, each guest thread's context with one made on its first
/// entry and freed when it ends. `runtime` is the block of the innermost JIT entry on the calling thread.
///
/// Shared JIT state (versions, owners, call caches, return exits, the code region and collector) changes
/// only under the VM lock: compilation, stub hits, call-cache fills, ISEQ deaths, collections (which stop
/// the world, see `addRoots`), and invalidation (method changes stop the world).
extension GuestJIT {
    /// The calling thread's runtime block (the main one outside JIT entries).
    var runtime: RuntimeBlock {
        if let base = jr_tls_get(Int32(JR_TLS_JIT_RUNTIME)) { return RuntimeBlock(base: base) }
        return mainRuntime
    }

    /// The raise a helper reported (status 1), in the calling thread's runtime block.
    var pendingRaise: Value {
        get { Value(raw: runtime.word(RuntimeBlock.pendingRaise).pointee) }
        set { runtime.word(RuntimeBlock.pendingRaise).pointee = newValue.raw }
    }

    /// Gives `ec` its runtime block: the main one for contexts of the VM's creating thread, else a new one.
    func attachRuntime(_ ec: ExecutionContext) -> UnsafeMutableRawPointer {
        if ec.mutator?.isMain ?? true {
            ec.jitRuntime = mainRuntime.base
            return mainRuntime.base
        }
        return vm.withVMLock {
            let block = RuntimeBlock()
            block.word(RuntimeBlock.jit).pointee = mainRuntime.word(RuntimeBlock.jit).pointee
            block.word(RuntimeBlock.serial).pointee = mainRuntime.word(RuntimeBlock.serial).pointee
            threadRuntimes.append(block.base)
            vm.safepoints.addInterruptFlag(block.word(RuntimeBlock.interrupt))
            ec.jitRuntime = block.base
            return block.base
        }
    }

    /// A thread's context ended: its runtime block goes (under the VM lock).
    public func contextEnded(_ ec: ExecutionContext) {
        guard let base = ec.jitRuntime, base != mainRuntime.base else { return }
        ec.jitRuntime = nil
        let block = RuntimeBlock(base: base)
        vm.safepoints.removeInterruptFlag(block.word(RuntimeBlock.interrupt))
        for counter in [RuntimeBlock.sideExits, RuntimeBlock.jitEntries, RuntimeBlock.indirectReturns] {
            mainRuntime.word(counter).pointee &+= block.word(counter).pointee
        }
        threadRuntimes.removeAll { $0 == base }
        base.deallocate()
    }

    /// A per-thread counter summed over every runtime block (ended threads' counts are in the main one).
    func runtimeCounter(_ offset: Int32) -> Int {
        var total = mainRuntime.word(offset).pointee
        for base in threadRuntimes { total &+= RuntimeBlock(base: base).word(offset).pointee }
        return Int(total)
    }

    /// Makes every call cache stale on every thread (a method changed, an entry was removed). Runs with the
    /// world stopped (method changes, collections), so no thread reads a serial mid-update.
    func bumpCallCacheSerial() {
        mainRuntime.word(RuntimeBlock.serial).pointee &+= 1
        let serial = mainRuntime.word(RuntimeBlock.serial).pointee
        for base in threadRuntimes { RuntimeBlock(base: base).word(RuntimeBlock.serial).pointee = serial }
    }
}
