import Glibc

/// A plain mutex for short critical sections that never contain a safepoint poll or a call into guest
/// code (allocation, symbols, globals, output), so a stopped world never waits on one. `isShared` is set
/// once the VM becomes multi-threaded; before that `withLock` is just the body.
final class LeafLock {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    var isShared = false

    init() {
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    @inline(__always)
    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        guard isShared else { return try body() }
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}
