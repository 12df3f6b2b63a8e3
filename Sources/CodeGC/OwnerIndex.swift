/// Owner id -> slot, by open addressing with linear probing and a multiplicative hash.
///
/// Swift's `Dictionary` hashes with seeded SipHash (tens of nanoseconds per operation); a churn of tiny
/// methods inserts, finds and removes one owner per compilation, so the index uses one multiply per
/// probe instead. Removal shifts later entries of the probe run back (no tombstones), so lookups stay
/// short however many owners came and went.
struct OwnerIndex {
    private var keys: [UInt64] = []
    /// Slot of the owner in `keys` at the same position, or -1 for an empty position.
    private var values: [Int32] = []
    private var shift: UInt64 = 64
    private(set) var count = 0

    /// Positions in the table (a power of two, or 0 before the first insertion).
    var capacity: Int { values.count }

    @inline(__always)
    private func home(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The slot stored for `key`, or nil.
    @inline(__always)
    func find(_ key: UInt64) -> Int? {
        guard count > 0 else { return nil }
        let mask = values.count - 1
        var position = home(key)
        while true {
            let value = values[position]
            if value < 0 { return nil }
            if keys[position] == key { return Int(value) }
            position = (position + 1) & mask
        }
    }

    /// Stores `slot` for `key`, which must not be present.
    mutating func insert(_ key: UInt64, slot: Int) {
        if (count + 1) * 2 > values.count { grow() }
        let mask = values.count - 1
        var position = home(key)
        while values[position] >= 0 { position = (position + 1) & mask }
        keys[position] = key
        values[position] = Int32(slot)
        count += 1
    }

    /// Removes `key` if present.
    mutating func remove(_ key: UInt64) {
        guard count > 0 else { return }
        let mask = values.count - 1
        var position = home(key)
        while true {
            if values[position] < 0 { return }
            if keys[position] == key { break }
            position = (position + 1) & mask
        }
        // Backward-shift deletion: move each later entry of the run into the hole when its home position
        // does not lie cyclically in (hole, entry].
        var hole = position
        var next = (hole + 1) & mask
        while values[next] >= 0 {
            let wanted = home(keys[next])
            let distanceToNext = (next - wanted) & mask
            let distanceToHole = (hole - wanted) & mask
            if distanceToHole < distanceToNext {
                keys[hole] = keys[next]
                values[hole] = values[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        values[hole] = -1
        count -= 1
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldValues = values
        let newCapacity = max(16, values.count * 2)
        keys = Array(repeating: 0, count: newCapacity)
        values = Array(repeating: -1, count: newCapacity)
        shift = UInt64(64 - newCapacity.trailingZeroBitCount)
        count = 0
        for position in oldValues.indices where oldValues[position] >= 0 {
            insert(oldKeys[position], slot: Int(oldValues[position]))
        }
    }

    /// Heap bytes held.
    var footprint: Int { keys.capacity * MemoryLayout<UInt64>.stride + values.capacity * MemoryLayout<Int32>.stride }
}
