import CShims

/// Filling a call site's inline cache. Readers (every thread, no lock) check `cachedSerial` first, then
/// `cachedClass`, then use `cachedEntry`. Single-threaded, a miss simply refills. Multi-threaded, a cache
/// valid for the current serial is never rewritten (a polymorphic site then misses for its other classes),
/// a stale one is filled by one thread at a time (leaf lock), fields first and the serial last: a reader
/// that sees the current serial sees the fields of that one fill (x86-64 keeps stores and loads in order;
/// the compiler barriers keep the compiler from reordering the stores). The serial changes only with the
/// world stopped (method changes), when no reader is between its loads.
extension VM {
    @inline(__always)
    func fillCallCache(_ cs: UnsafeMutablePointer<CallSite>, entry: UnsafeMutableRawPointer, klass: UInt64) {
        guard isMultithreaded else {
            cs.pointee.cachedEntry = entry
            cs.pointee.cachedClass = klass
            cs.pointee.cachedSerial = methodSerial
            return
        }
        fillSharedCallCache(cs, entry: entry, klass: klass)
    }

    @inline(never)
    private func fillSharedCallCache(_ cs: UnsafeMutablePointer<CallSite>, entry: UnsafeMutableRawPointer, klass: UInt64) {
        callCacheFillLock.withLock {
            let serial = methodSerial
            guard cs.pointee.cachedSerial != serial else { return }
            cs.pointee.cachedEntry = entry
            cs.pointee.cachedClass = klass
            jr_compiler_barrier()
            cs.pointee.cachedSerial = serial
        }
    }
}
