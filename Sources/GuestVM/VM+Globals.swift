/// Global variables: one dictionary shared by every thread, behind a leaf lock once multi-threaded.
extension VM {
    @inline(__always)
    public func global(_ id: Int) -> Value {
        globalsLock.withLock { globals[id] ?? .nil }
    }

    @inline(__always)
    public func setGlobal(_ id: Int, _ value: Value) {
        globalsLock.withLock { globals[id] = value }
    }
}
