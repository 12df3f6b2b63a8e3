import CShims
import Glibc
import Synchronization

/// One native thread that runs guest code of a VM: the VM's creating thread or a guest `Thread`.
///
/// A mutator is *running* or *parked*. Parked means it cannot touch guest or JIT state until the world
/// is resumed: it is blocked in a C call (join, mutex wait, `Thread.pass`, waiting for the VM lock) or
/// stopped at a safepoint poll. A parked mutator has saved its registers (`context`, in the frame of
/// `jr_park_call`, which stays live while it is parked) so a collector on another thread walks its
/// native stack precisely.
public final class Mutator {
    enum State { case running, parked }

    /// Guarded by `Safepoints.lock`.
    var state: State = .running
    /// Parked where every live Value is in VM memory (value stack, frames, objects): an object
    /// collection may run. A thread waiting for the VM lock may hold Values in native locals: not safe.
    var objectSafe = false
    /// The registers saved when it parked (valid while parked).
    let context: UnsafeMutablePointer<ucontext_t>
    /// The stack its saved context lies on (for the conservative fallback scan), set when it parks.
    var parkedStack: Range<UInt> = 0..<0
    /// This native thread's own stack bounds (computed once, on the thread).
    var threadStack: Range<UInt>?
    /// The VM's creating thread (fibers run only there).
    public let isMain: Bool
    /// Arrays this thread is inspecting or flattening right now (`VM.inspecting`).
    var inspecting = Set<UInt64>()

    init(isMain: Bool) {
        self.isMain = isMain
        context = .allocate(capacity: 1)
        context.initialize(to: ucontext_t())
    }

    deinit { context.deallocate() }

    /// The calling thread's stack bounds, cached.
    func currentThreadStack() -> Range<UInt> {
        if let s = threadStack { return s }
        var low: UInt = 0, high: UInt = 0
        let s = jr_current_thread_stack_bounds(&low, &high) == 0 && high > low ? low..<high : 0..<0
        threadStack = s
        return s
    }
}

/// Stop-the-world coordination between a VM's mutators.
///
/// Protocol: only the holder of the VM lock (`VMLock`) stops the world (so two stoppers never wait for
/// each other). `stopTheWorld` raises `isRequested` (and every registered JIT interrupt flag) and waits
/// until every other mutator is parked; mutators poll `isRequested` at interrupt checks (interpreter loop
/// back-edges and method entries, JIT helper calls; JIT code leaves at its back-edge interrupt checks) and
/// park there until `resumeTheWorld`. A mutator blocked in a C call is parked already. No leaf lock
/// (allocation, symbols, globals, output) is ever held across a poll, so a stopped world never waits on one.
public final class Safepoints {
    private let lock: UnsafeMutablePointer<pthread_mutex_t>
    private let changed: UnsafeMutablePointer<pthread_cond_t>
    private let requestFlag = Atomic<Int>(0)
    private var mutators: [Mutator] = []
    /// The mutator that stopped the world, and how many nested stops it holds.
    private(set) var stopper: Mutator?
    private var stopDepth = 0
    /// Words set to 1 while a stop is requested (JIT runtime blocks' interrupt flags).
    private var interruptFlags: [UnsafeMutablePointer<UInt64>] = []
    /// The object heap reached its collection threshold and no collection was attempted since: the
    /// interrupt flags stay raised so compiled loops reach a safepoint that collects.
    private var collectionWanted = false

    /// Number of completed stops and the total nanoseconds stoppers waited for the others to park.
    public private(set) var stopCount = 0
    public private(set) var totalTimeToSafepointNanos: UInt64 = 0
    /// The longest single wait.
    public private(set) var maxTimeToSafepointNanos: UInt64 = 0
    /// The most recent waits of stops that found another thread running (at most `recentWaitCapacity`),
    /// for percentiles: a stop right after another finds everyone still parked and waits for nothing.
    private var recentWaits: [UInt64] = []
    private static let recentWaitCapacity = 1 << 16

    init() {
        lock = .allocate(capacity: 1)
        pthread_mutex_init(lock, nil)
        changed = .allocate(capacity: 1)
        pthread_cond_init(changed, nil)
    }

    deinit {
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(lock)
        lock.deallocate()
        changed.deallocate()
    }

    /// Whether a stop of the world is requested: the poll every safepoint makes (one relaxed load).
    @inline(__always) public var isRequested: Bool { requestFlag.load(ordering: .relaxed) != 0 }

    /// Whether the requested stop is for the object collector: only polls where every Value is in VM
    /// memory park for it (the others let the thread run on to the next such poll).
    var wantsObjectSafePoints: Bool { requestFlag.load(ordering: .relaxed) == 2 }

    /// Adds a mutator (on its own thread, before it runs guest code); waits while the world is stopped.
    func register(_ m: Mutator) {
        pthread_mutex_lock(lock)
        while stopper != nil { pthread_cond_wait(changed, lock) }
        m.state = .running
        mutators.append(m)
        pthread_mutex_unlock(lock)
    }

    /// Removes a mutator whose thread will run no more guest code.
    func unregister(_ m: Mutator) {
        pthread_mutex_lock(lock)
        mutators.removeAll { $0 === m }
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(lock)
    }

    /// Number of registered mutators.
    public var mutatorCount: Int {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        return mutators.count
    }

    /// Registers a word JIT code polls (set to 1 while a stop is requested).
    public func addInterruptFlag(_ flag: UnsafeMutablePointer<UInt64>) {
        pthread_mutex_lock(lock)
        interruptFlags.append(flag)
        flag.pointee = stopper == nil ? 0 : 1
        Self.setCollectionByte(flag, collectionWanted)
        pthread_mutex_unlock(lock)
    }

    public func removeInterruptFlag(_ flag: UnsafeMutablePointer<UInt64>) {
        pthread_mutex_lock(lock)
        interruptFlags.removeAll { $0 == flag }
        pthread_mutex_unlock(lock)
    }

    /// Runs `body` (which may block) with `m` parked: its context saved, counted as stopped by any
    /// stopper. Afterwards waits until no other mutator holds the world stopped.
    func park(_ m: Mutator, objectSafe: Bool, stack: Range<UInt>, _ body: () -> Void) {
        withoutActuallyEscaping(body) { body in
            var job = ParkJob(safepoints: self, mutator: m, objectSafe: objectSafe, stack: stack, body: body)
            withUnsafeMutablePointer(to: &job) { p in
                let rc = jr_park_call(m.context, { raw in
                    let job = raw!.assumingMemoryBound(to: ParkJob.self)
                    job.pointee.safepoints.runParked(job.pointee)
                }, p)
                if rc != 0 { body() }  // getcontext failed (it does not on Linux): run unparked
            }
        }
    }

    private struct ParkJob {
        let safepoints: Safepoints
        let mutator: Mutator
        let objectSafe: Bool
        let stack: Range<UInt>
        let body: () -> Void
    }

    private func runParked(_ job: ParkJob) {
        let m = job.mutator
        pthread_mutex_lock(lock)
        m.state = .parked
        m.objectSafe = job.objectSafe
        m.parkedStack = job.stack
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(lock)
        job.body()
        pthread_mutex_lock(lock)
        while let s = stopper, s !== m { pthread_cond_wait(changed, lock) }
        m.state = .running
        m.objectSafe = false
        pthread_mutex_unlock(lock)
    }

    /// Stops every other mutator (the caller holds the VM lock). Nested stops by the same mutator count.
    /// `objectSafePoints`: running mutators park only at polls where all their Values are in VM memory.
    func stopTheWorld(_ m: Mutator, objectSafePoints: Bool = false) {
        pthread_mutex_lock(lock)
        if stopper === m {
            stopDepth += 1
            pthread_mutex_unlock(lock)
            return
        }
        precondition(stopper == nil, "Safepoints: a stop of the world without the VM lock")
        stopper = m
        stopDepth = 1
        requestFlag.store(objectSafePoints ? 2 : 1, ordering: .relaxed)
        for f in interruptFlags { Self.storeInterruptWord(f, 1) }
        let start = Safepoints.now()
        let someoneRunning = mutators.contains { $0 !== m && $0.state == .running }
        while mutators.contains(where: { $0 !== m && $0.state == .running }) { pthread_cond_wait(changed, lock) }
        let waited = Safepoints.now() &- start
        stopCount += 1
        totalTimeToSafepointNanos &+= waited
        maxTimeToSafepointNanos = max(maxTimeToSafepointNanos, waited)
        if someoneRunning && recentWaits.count < Self.recentWaitCapacity { recentWaits.append(waited) }
        pthread_mutex_unlock(lock)
    }

    /// Ends one stop by `m`; the outermost lets every parked mutator continue.
    func resumeTheWorld(_ m: Mutator) {
        pthread_mutex_lock(lock)
        precondition(stopper === m, "Safepoints: resumed by a mutator that did not stop the world")
        stopDepth -= 1
        if stopDepth == 0 {
            stopper = nil
            requestFlag.store(0, ordering: .relaxed)
            for f in interruptFlags {
                Self.storeInterruptWord(f, 0)
                Self.setCollectionByte(f, collectionWanted)
            }
            pthread_cond_broadcast(changed)
        }
        pthread_mutex_unlock(lock)
    }

    /// Raises byte 1 of every JIT interrupt flag until `collectionAttempted`: compiled loops poll at
    /// their next back-edge check (which tests bytes 0-3), where the object collector can run. Method
    /// entries test byte 0 only (stops, posted requests): they leave rather than poll, and must not
    /// leave for a collection. Called by the allocation that reaches the heap's threshold.
    func requestCollection() {
        pthread_mutex_lock(lock)
        collectionWanted = true
        for f in interruptFlags { Self.setCollectionByte(f, true) }
        pthread_mutex_unlock(lock)
    }

    /// A collection ran or was refused: lowers the collection byte of the interrupt flags again.
    func collectionAttempted(requestPending pending: Bool) {
        pthread_mutex_lock(lock)
        collectionWanted = false
        for f in interruptFlags { Self.setCollectionByte(f, false) }
        pthread_mutex_unlock(lock)
    }

    /// Stores a whole interrupt flag. JIT code and the send helper read the flags without a lock, as a
    /// filter in front of the atomic `requestFlag` (a stale 0 only delays that thread to its next poll;
    /// the stopper waits for it there), so these stores race with them by design (scripts/sanitize-tsan.supp).
    @inline(never)
    private static func storeInterruptWord(_ flag: UnsafeMutablePointer<UInt64>, _ value: UInt64) {
        flag.pointee = value
    }

    /// Byte 1 of an interrupt flag: a byte store, so a posted request poking byte 0 is never lost.
    @inline(never)
    private static func setCollectionByte(_ flag: UnsafeMutablePointer<UInt64>, _ on: Bool) {
        UnsafeMutableRawPointer(flag).storeBytes(of: on ? 1 : 0, toByteOffset: 1, as: UInt8.self)
    }

    /// Whether `m` holds the world stopped.
    func isStopped(by m: Mutator) -> Bool {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        return stopper === m
    }

    /// The parked mutators other than `m` (call with the world stopped by `m`).
    func parked(except m: Mutator) -> [Mutator] {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        return mutators.filter { $0 !== m && $0.state == .parked }
    }

    /// Whether every mutator other than `m` is parked where an object collection may run.
    func othersObjectSafe(except m: Mutator) -> Bool {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        return mutators.allSatisfy { $0 === m || ($0.state == .parked && $0.objectSafe) }
    }

    /// The `percent`th percentile of the times to safepoint of stops that found a thread running
    /// (nanoseconds), 0 before any.
    public func timeToSafepointPercentile(_ percent: Int) -> UInt64 {
        pthread_mutex_lock(lock)
        let sorted = recentWaits.sorted()
        pthread_mutex_unlock(lock)
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, sorted.count * percent / 100)]
    }

    static func now() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }
}
