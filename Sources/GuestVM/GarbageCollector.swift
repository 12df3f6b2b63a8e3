import CShims

/// The guest object collector: mark from the roots `ObjectHeap` describes, sweep what was not reached.
extension VM {
    /// Collects unreachable guest objects if it is safe right now (see `ObjectHeap`); the caller's frame
    /// must have its pc and sp saved. Returns whether it collected.
    /// Multi-threaded, it stops the world first and collects only if every other thread is parked where
    /// all its Values are in VM memory.
    @discardableResult
    public func collectGarbage(_ ec: ExecutionContext) -> Bool {
        if isMultithreaded { return withWorldStopped(objectSafePoints: true) { collectGarbageStopped(ec) } }
        return collectGarbageStopped(ec)
    }

    /// An interpreter safepoint (loop back-edge, method entry; the frame's pc and sp saved): parks if
    /// another thread stops the world, collects objects past the threshold.
    @inline(never)
    func safepoint(_ ec: ExecutionContext) {
        if safepoints.isRequested { safepointPoll(objectSafe: true) }
        if heap.count >= heap.threshold { collectGarbage(ec) }
    }

    /// JIT code's interrupt check (its interrupt flag was raised): the same safepoint as the
    /// interpreter's, for the frame `ec.cfp`, whose pc and sp JIT code saved, every Value of every frame
    /// being in VM memory. Serves a posted request, parks for a stop of the world, collects objects
    /// when due.
    public func jitSafepoint(_ ec: ExecutionContext) {
        serviceSafepoint(ec)
    }

    private func collectGarbageStopped(_ ec: ExecutionContext) -> Bool {
        defer {
            heap.collectionAttempted()
            safepoints.collectionAttempted(requestPending: jr_safepoint_requested() != 0)
        }
        guard !jitEnabled || collectsWithJIT, executionContexts.allSatisfy({ $0.cfuncDepth == 0 }),
              !isMultithreaded || safepoints.othersObjectSafe(except: currentMutator) else {
            heap.threshold = heap.objects.count + heap.objects.count / 2 + 1024
            return false
        }
        var work: [HeapObject] = []
        func mark(_ v: Value) {
            guard v.isHeapObject else { return }
            let o = v.object
            if !o.marked {
                o.marked = true
                work.append(o)
            }
        }
        for o in heap.objects where o is RClass { mark(.object(o)) }
        for o in heap.pinned { mark(.object(o)) }
        iseqs.forEachObjectLiteral(mark)
        jit?.forEachObjectRoot(mark)
        for t in threads.running.values { mark(.object(t)) }
        mark(mainObject)
        for v in globals.values { mark(v) }
        for context in executionContexts {
            mark(context.pendingThrow)
            let top = context.cfp >= context.frameBase ? context.cfp.pointee.sp : context.stackBase
            var slot = context.stackBase
            while slot < top {
                mark(slot.pointee)
                slot += 1
            }
            context.forEachFrame { mark($0.pointee.selfValue) }
        }
        while let o = work.popLast() { o.forEachReference(mark) }
        let before = heap.objects.count
        heap.objects.removeAll { !$0.marked }
        heap.recount()
        for o in heap.objects { o.marked = false }
        for o in heap.pinned { o.marked = false }
        heap.collections += 1
        heap.freedObjects += before - heap.objects.count
        heap.threshold = max(heap.minimumThreshold, heap.objects.count * 2)
        return true
    }
}
