import Glibc
import Synchronization
/// Owner of every guest heap object, with a non-moving mark-sweep collector (`VM.collectGarbage`).
///
/// Values never own objects: an object lives while it is in `objects`. The collector runs only at
/// safepoints (interpreter loop back-edges and method entries, JIT code's interrupt checks) when no
/// cfunc is active on any execution context, because then every live Value is in a place it can see:
/// the value stacks (base ... top frame's sp), frames' self, globals, pending throws, class constants
/// and ivars, pinned objects, live ISEQs' object literals (`ISeqRegistry`), the JIT's roots
/// (`JITCompiler.forEachObjectRoot`) and whatever those reference (`HeapObject.forEachReference`).
/// Classes are immortal.
///
/// JIT code polls no allocation counter: the allocation that reaches `threshold` calls
/// `thresholdReached` once (the VM raises the JIT's interrupt flags then), and the next collection
/// attempt re-arms it.
public final class ObjectHeap {
    public internal(set) var objects: [HeapObject] = []
    /// Objects that must never be collected (the main thread object, enabled TracePoints).
    var pinned: [HeapObject] = []
    /// The smallest collection threshold (`JITSTACK_GC_THRESHOLD` overrides it: a tiny value makes
    /// every safepoint collect, for stress runs).
    public var minimumThreshold = Int(getenv("JITSTACK_GC_THRESHOLD").flatMap { Int(String(cString: $0)) } ?? 100_000)
    /// Collect when `objects.count` reaches this; raised after each collection.
    public var threshold: Int
    /// Called (under the heap's lock) by the allocation that reaches `threshold`, once until
    /// `collectionAttempted` re-arms it.
    var thresholdReached: (() -> Void)?
    /// Set by the allocation that reached `threshold` and called `thresholdReached`.
    private var thresholdSignalled = false
    /// Number of collections so far, and objects freed by them.
    public internal(set) var collections = 0
    public internal(set) var freedObjects = 0

    /// Guards `objects` once the VM is multi-threaded (allocation from any thread).
    let lock = LeafLock()
    var isShared: Bool {
        get { lock.isShared }
        set { lock.isShared = newValue }
    }
    /// `objects.count`, kept in an atomic word of its own: safepoints read it without the lock.
    private let atomicCount = Atomic<Int>(0)
    @inline(__always) public var count: Int { atomicCount.load(ordering: .relaxed) }

    public init() { threshold = minimumThreshold }

    /// Takes ownership of `obj` and returns its Value.
    @inline(__always)
    public func track<T: HeapObject>(_ obj: T) -> Value {
        lock.withLock {
            objects.append(obj)
            atomicCount.store(objects.count, ordering: .relaxed)
            if _slowPath(objects.count >= threshold) && !thresholdSignalled { signalThreshold() }
        }
        return .object(obj)
    }

    @inline(never)
    private func signalThreshold() {
        thresholdSignalled = true
        thresholdReached?()
    }

    /// A collection ran or was refused (the threshold raised either way): the next allocation reaching
    /// the threshold signals again.
    func collectionAttempted() {
        lock.withLock { thresholdSignalled = false }
    }

    /// Recounts after a sweep.
    func recount() { atomicCount.store(objects.count, ordering: .relaxed) }

    /// Keeps `v` alive for the VM's lifetime.
    func pin(_ v: Value) {
        if v.isHeapObject { lock.withLock { pinned.append(v.object) } }
    }
}
