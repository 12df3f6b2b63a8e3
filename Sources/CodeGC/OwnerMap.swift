/// Owner records by owner id: records in a slot array (slots reused), found through an ``OwnerIndex``, with
/// the last owner looked up remembered. A compilation asks about the same owner several times in a row
/// (its entry counter, each block, its entry), and a sweep frees an owner's blocks together, so most
/// lookups hit the remembered slot and hash nothing.
struct OwnerMap {
    private var slotOf = OwnerIndex()
    private var records: [OwnerRecord] = []
    private var occupied: [Bool] = []
    private var freeSlots: [Int32] = []
    private var cachedOwner = CodeOwnerID(0)
    /// Slot of `cachedOwner`, or -1.
    private var cachedSlot = -1

    /// Owners with a record.
    var count: Int { slotOf.count }

    /// Slots ever created: the bound for iteration with ``isOccupied(_:)``.
    var slotCount: Int { records.count }

    /// Whether `slot` holds a record.
    @inline(__always)
    func isOccupied(_ slot: Int) -> Bool { occupied[slot] }

    /// The slot of `owner`'s record, or nil.
    @inline(__always)
    mutating func slot(of owner: CodeOwnerID) -> Int? {
        if cachedSlot >= 0 && cachedOwner == owner { return cachedSlot }
        guard let slot = slotOf.find(owner.rawValue) else { return nil }
        cachedOwner = owner
        cachedSlot = slot
        return slot
    }

    /// The record in an occupied slot, read and modified in place.
    subscript(slot slot: Int) -> OwnerRecord {
        @inline(__always) _read { yield records[slot] }
        @inline(__always) _modify { yield &records[slot] }
    }

    /// A copy of `owner`'s record, or nil (for rare paths; no caching).
    func record(of owner: CodeOwnerID) -> OwnerRecord? {
        if cachedSlot >= 0 && cachedOwner == owner { return records[cachedSlot] }
        guard let slot = slotOf.find(owner.rawValue) else { return nil }
        return records[slot]
    }

    /// Adds a fresh record (no entries, no blocks) for `owner`, which has none; returns its slot. A freed
    /// slot's record is overwritten field by field, so no record is copied or destroyed.
    mutating func insert(_ owner: CodeOwnerID, counterSlot: Int, lastActiveCollection: Int) -> Int {
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = Int(free)
            records[slot].id = owner
            records[slot].entries.removeAll()
            records[slot].blockCount = 0
            records[slot].counterSlot = counterSlot
            records[slot].lastSeenCount = 0
            records[slot].lastActiveCollection = lastActiveCollection
            occupied[slot] = true
        } else {
            slot = records.count
            records.append(OwnerRecord(id: owner, counterSlot: counterSlot, lastActiveCollection: lastActiveCollection))
            occupied.append(true)
        }
        slotOf.insert(owner.rawValue, slot: slot)
        cachedOwner = owner
        cachedSlot = slot
        return slot
    }

    /// Frees the record in `slot`.
    mutating func remove(slot: Int) {
        let owner = records[slot].id
        slotOf.remove(owner.rawValue)
        records[slot].entries = InlineList()
        occupied[slot] = false
        freeSlots.append(Int32(slot))
        if cachedSlot == slot { cachedSlot = -1 }
    }

    /// Bytes of the map itself (records are counted by their own footprint).
    var footprint: Int {
        slotOf.footprint
            + freeSlots.capacity * MemoryLayout<Int32>.stride + occupied.capacity
    }
}
