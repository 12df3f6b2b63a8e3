import Glibc
import Synchronization

/// A guest Mutex: a native mutex plus its owning thread. Waiting for it parks the thread (a collector
/// may run meanwhile). Not recursive, as in Ruby.
public final class RMutex: HeapObject {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    /// The owning `Mutator` (its address), 0 when unlocked. Written only by the thread holding `mutex`.
    private let owner = Atomic<UInt>(0)

    public override init(klass: RClass) {
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        super.init(klass: klass)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    static func key(_ m: Mutator) -> UInt { UInt(bitPattern: Unmanaged.passUnretained(m).toOpaque()) }

    func isOwned(by m: Mutator) -> Bool { owner.load(ordering: .relaxed) == Self.key(m) }
    var isLocked: Bool { owner.load(ordering: .relaxed) != 0 }

    /// Takes the mutex without waiting; false if another thread holds it.
    func tryLock(_ m: Mutator) -> Bool {
        guard pthread_mutex_trylock(mutex) == 0 else { return false }
        owner.store(Self.key(m), ordering: .relaxed)
        return true
    }

    /// Takes the mutex, running `wait` (which parks the thread) around a blocking acquire.
    func lock(_ m: Mutator, wait: (() -> Void) -> Void) {
        if !tryLock(m) {
            wait { pthread_mutex_lock(mutex) }
            owner.store(Self.key(m), ordering: .relaxed)
        }
    }

    func unlock() {
        owner.store(0, ordering: .relaxed)
        pthread_mutex_unlock(mutex)
    }
}

extension VM {
    func lockMutex(_ mutex: RMutex, ec: ExecutionContext) throws(GuestError) {
        let m = currentMutator
        if mutex.isOwned(by: m) { throw error(threadErrorClass, "deadlock; recursive locking", ec: ec) }
        mutex.lock(m) { acquire in blocking(ec, acquire) }
    }

    func unlockMutex(_ mutex: RMutex, ec: ExecutionContext) throws(GuestError) {
        if !mutex.isOwned(by: currentMutator) {
            throw error(threadErrorClass, mutex.isLocked ? "Attempt to unlock a mutex which is locked by another thread/fiber"
                                                         : "Attempt to unlock a mutex which is not locked", ec: ec)
        }
        mutex.unlock()
    }

    /// `mutex.synchronize { }`: the block runs holding the mutex, released however the block ends.
    func synchronize(_ mutex: RMutex, ec: ExecutionContext) throws(GuestError) -> Value {
        try lockMutex(mutex, ec: ec)
        defer { mutex.unlock() }
        return try yieldBlock([], ec: ec)
    }
}
