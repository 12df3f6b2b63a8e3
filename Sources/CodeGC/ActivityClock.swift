/// The eviction policy's time: "least recently entered" and "cold for N ticks" are measured on this clock.
///
/// It ticks at a collection once, since its last tick, compiled code was entered about as many times as
/// there are owners, failed page allocations (code waiting for room) counting as entries. Counting
/// collections instead made a working set in use look cold when collections came in bursts: with 2,000
/// methods called round-robin in a region too small for them, several collections ran within one round,
/// every method entered before the burst looked cold at its end, and most code was evicted and compiled
/// again, round after round. On this clock a method entered once per round stays warm however often the
/// region is collected, while code nobody enters any more turns cold as soon as other code runs or waits
/// for room.
struct ActivityClock {
    /// Ticks so far.
    private(set) var now = 0
    /// Entries counted at collections since the last tick.
    private var entriesSinceTick: UInt64 = 0
    /// Failed allocations (a running total) at the last tick.
    private var failuresAtTick = 0

    /// Whether `newEntries` more entries, with `failures` failed allocations in all, would tick the clock.
    func wouldTick(newEntries: UInt64, failures: Int, ownerCount: Int) -> Bool {
        entriesSinceTick &+ newEntries &+ UInt64(max(failures - failuresAtTick, 0)) >= UInt64(max(ownerCount, 1))
    }

    /// Adds the entries counted at a collection and ticks if the activity since the last tick is enough.
    mutating func note(entries: UInt64, failures: Int, ownerCount: Int) {
        if wouldTick(newEntries: entries, failures: failures, ownerCount: ownerCount) {
            now += 1
            entriesSinceTick = 0
            failuresAtTick = failures
        } else {
            entriesSinceTick &+= entries
        }
    }
}
