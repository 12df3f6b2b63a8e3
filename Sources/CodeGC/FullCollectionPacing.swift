/// Spaces out collections of a full region that cannot make room.
///
/// When live code alone fills the region and nothing is cold enough to evict, a collection frees nothing
/// and the allocation fails ("stop compiling, keep interpreting"). The client keeps trying to compile (a
/// method that failed tries again after some calls): without pacing, each attempt collected again. After
/// such a futile collection the next one waits until it could decide differently: until the activity clock
/// would tick (owners may have turned cold), or at most `maximumSpacing` failed allocations (invalidated
/// code may have become garbage). An allocation that succeeds starts over.
struct FullCollectionPacing {
    private var afterFutileCollection = false
    private var failuresSinceCollection = 0

    /// Whether a region-full allocation may collect now; `clockWouldTick` is asked only when it matters.
    /// If not, the allocation counts as one more failure.
    ///
    /// Asking the clock sums every owner's entry counter, and failures come in bursts (every method that
    /// found no room retries after the same number of calls): it is asked at every `checkInterval`-th
    /// failure only, so a collection the clock allows may wait that many failures.
    mutating func mayCollect(maximumSpacing: Int, checkInterval: Int = 1, clockWouldTick: () -> Bool) -> Bool {
        guard afterFutileCollection, failuresSinceCollection < maximumSpacing else { return true }
        if failuresSinceCollection % max(checkInterval, 1) == 0 && clockWouldTick() { return true }
        failuresSinceCollection += 1
        return false
    }

    /// A region-full collection made no room.
    mutating func collectionWasFutile() {
        afterFutileCollection = true
        failuresSinceCollection = 0
    }

    /// An allocation succeeded: the region had, or was given, room.
    mutating func allocationSucceeded() {
        afterFutileCollection = false
        failuresSinceCollection = 0
    }
}
