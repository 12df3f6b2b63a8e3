import CShims
import Glibc

/// The VM lock: a recursive lock for the rare operations that change shared VM or JIT structure
/// (method and constant definition, class creation, JIT compilation, stub hits, call-cache fills,
/// invalidation, code and object collection). Guest execution never holds it. A thread that must wait
/// for it parks (it counts as stopped for a collector), and only its holder may stop the world, so a
/// holder that stops the world is never waiting for a thread that waits for the lock.
///
/// Taken only once the VM is multi-threaded (`VM.isMultithreaded`): a single-threaded VM pays nothing.
public final class VMLock {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    /// Owned by the holder: nesting depth, and whether the outermost unlock resumes a stopped world.
    private var depth = 0
    var resumesWorldOnRelease = false
    private(set) var holder: Mutator?

    init() {
        mutex = .allocate(capacity: 1)
        var attributes = pthread_mutexattr_t()
        pthread_mutexattr_init(&attributes)
        pthread_mutexattr_settype(&attributes, Int32(PTHREAD_MUTEX_RECURSIVE))
        pthread_mutex_init(mutex, &attributes)
        pthread_mutexattr_destroy(&attributes)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func lock(_ m: Mutator, safepoints: Safepoints) {
        if pthread_mutex_trylock(mutex) != 0 {
            safepoints.park(m, objectSafe: false, stack: m.currentThreadStack()) { pthread_mutex_lock(mutex) }
        }
        depth += 1
        holder = m
    }

    func unlock(_ m: Mutator, safepoints: Safepoints) {
        depth -= 1
        if depth == 0 {
            if resumesWorldOnRelease {
                resumesWorldOnRelease = false
                safepoints.resumeTheWorld(m)
            }
            holder = nil
        }
        pthread_mutex_unlock(mutex)
    }
}

extension VM {
    /// The mutator of the calling thread: its guest thread's, else the VM's creating thread's.
    @inline(__always)
    public var currentMutator: Mutator {
        if let p = jr_tls_get(Int32(JR_TLS_MUTATOR)) { return Unmanaged<Mutator>.fromOpaque(p).takeUnretainedValue() }
        return mainMutator
    }

    /// Runs `body` holding the VM lock (a no-op lock while the VM is single-threaded).
    @inline(__always)
    public func withVMLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        guard isMultithreaded else { return try body() }
        let m = currentMutator
        vmLock.lock(m, safepoints: safepoints)
        defer { vmLock.unlock(m, safepoints: safepoints) }
        return try body()
    }

    /// Runs `body` holding the VM lock with every other mutator parked (`objectSafePoints`: running ones
    /// park only where an object collection may run).
    public func withWorldStopped<T, E: Error>(objectSafePoints: Bool = false, _ body: () throws(E) -> T) throws(E) -> T {
        guard isMultithreaded else { return try body() }
        let m = currentMutator
        vmLock.lock(m, safepoints: safepoints)
        safepoints.stopTheWorld(m, objectSafePoints: objectSafePoints)
        defer {
            safepoints.resumeTheWorld(m)
            vmLock.unlock(m, safepoints: safepoints)
        }
        return try body()
    }

    /// For a holder of the VM lock (a collection starting inside a compilation): stops the world now if
    /// it is not stopped already, until the lock is released.
    public func stopWorldUntilUnlock() {
        guard isMultithreaded else { return }
        let m = currentMutator
        precondition(vmLock.holder === m, "stopWorldUntilUnlock without the VM lock")
        if vmLock.resumesWorldOnRelease || safepoints.isStopped(by: m) { return }
        safepoints.stopTheWorld(m)
        vmLock.resumesWorldOnRelease = true
    }

    /// Calls `body` for every parked mutator's saved context and stack (the world must be stopped by the
    /// caller): the native stacks a code collector walks besides its own.
    public func forEachParkedThread(_ body: (UnsafeMutableRawPointer, Range<UInt>) -> Void) {
        guard isMultithreaded else { return }
        for m in safepoints.parked(except: currentMutator) { body(UnsafeMutableRawPointer(m.context), m.parkedStack) }
    }

    /// Parks the calling thread at a safepoint if a stop is requested (slow path of the poll). The caller's
    /// frame has its pc and sp saved; `objectSafe`: no Values live only in native locals.
    @inline(never)
    public func safepointPoll(objectSafe: Bool) {
        guard isMultithreaded else { return }
        if !objectSafe && safepoints.wantsObjectSafePoints { return }
        let m = currentMutator
        if safepoints.isStopped(by: m) { return }
        safepoints.park(m, objectSafe: objectSafe, stack: parkStack(m)) {}
    }

    /// Runs a blocking C-level wait (`body`) with the calling thread parked. The cfunc calling it holds no
    /// Values only in native locals, so an object collection may run meanwhile (its depth is lifted).
    func blocking(_ ec: ExecutionContext, _ body: () -> Void) {
        let m = currentMutator
        ec.cfuncDepth -= 1
        safepoints.park(m, objectSafe: true, stack: parkStack(m), body)
        ec.cfuncDepth += 1
    }

    /// The stack the calling thread runs on now: its thread stack, or the running fiber's.
    func parkStack(_ m: Mutator) -> Range<UInt> {
        let here = NativeStack.currentAddress()
        let s = m.currentThreadStack()
        if s.contains(here) { return here..<s.upperBound }
        if let f = fibers.running.last, let h = f.handle {
            var low: UInt = 0, high: UInt = 0
            jr_fiber_stack_bounds(h, &low, &high)
            if (low..<high).contains(here) { return here..<high }
        }
        return 0..<0
    }

    /// Time-to-safepoint statistics: number of stops, total and longest wait (nanoseconds).
    public var safepointStatistics: (stops: Int, totalNanos: UInt64, maxNanos: UInt64) {
        (safepoints.stopCount, safepoints.totalTimeToSafepointNanos, safepoints.maxTimeToSafepointNanos)
    }
}
