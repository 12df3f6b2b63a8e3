/// A slot index plus the generation the slot had when the handle was made. A slot's generation changes when
/// its record is freed, so a handle outliving its record is detected instead of reaching a reused slot.
struct SlotHandle: Hashable, Sendable {
    var index: UInt32
    var generation: UInt32

    /// Generation in the high half, index in the low half; never 0 (generations start at 1).
    var rawValue: UInt64 { UInt64(generation) << 32 | UInt64(index) }

    init(index: UInt32, generation: UInt32) {
        self.index = index
        self.generation = generation
    }

    init(rawValue: UInt64) {
        index = UInt32(truncatingIfNeeded: rawValue)
        generation = UInt32(truncatingIfNeeded: rawValue >> 32)
    }
}

/// A record type a `SlotTable` can store: `vacant` fills freed slots, so records are stored unwrapped and
/// accessed in place (no optional unwrapping copies on the marking path).
protocol SlotRecord {
    static var vacant: Self { get }
}

/// Generational slab storage for graph records: O(1) insert, lookup and free, slots reused, stale handles
/// detectable. Records live in one array and are read and modified in place, so marking walks them without
/// copying or reference counting.
struct SlotTable<Record: SlotRecord> {
    private var records: [Record] = []
    private var generations: [UInt32] = []
    private var occupied: [Bool] = []
    private var freeSlots: [UInt32] = []
    /// Live records.
    private(set) var count = 0

    /// Slots ever created (live or free): the bound for iteration with `handle(atSlot:)`.
    var slotCount: Int { records.count }

    mutating func insert(_ record: Record) -> SlotHandle {
        insert { $0 = record }
    }

    /// Inserts a record built in place: `fill` gets the slot's record set to ``SlotRecord/vacant`` (a freed
    /// slot already holds it) and sets what differs. Registering a block then copies no record and retains
    /// and releases none of its lists, as building it aside and storing it would.
    @inline(__always)
    mutating func insert(_ fill: (inout Record) -> Void) -> SlotHandle {
        count += 1
        if let slot = freeSlots.popLast() {
            fill(&records[Int(slot)])
            occupied[Int(slot)] = true
            return SlotHandle(index: slot, generation: generations[Int(slot)])
        }
        records.append(Record.vacant)
        fill(&records[records.count - 1])
        generations.append(1)
        occupied.append(true)
        return SlotHandle(index: UInt32(records.count - 1), generation: 1)
    }

    /// Whether `handle` still names a live record (freeing a slot changes its generation).
    @inline(__always)
    func contains(_ handle: SlotHandle) -> Bool {
        Int(handle.index) < generations.count && generations[Int(handle.index)] == handle.generation
    }

    /// The record of a live handle (check `contains` first: a stale handle reads a vacant or reused slot).
    subscript(handle: SlotHandle) -> Record {
        @inline(__always) _read { yield records[Int(handle.index)] }
        @inline(__always) _modify { yield &records[Int(handle.index)] }
    }

    /// The handle of the live record in `slot`, if any.
    @inline(__always)
    func handle(atSlot slot: Int) -> SlotHandle? {
        occupied[slot] ? SlotHandle(index: UInt32(slot), generation: generations[slot]) : nil
    }

    /// Frees the record; later lookups with `handle` fail. Returns it, or nil if it was already gone.
    @discardableResult
    mutating func remove(_ handle: SlotHandle) -> Record? {
        guard contains(handle) else { return nil }
        let slot = Int(handle.index)
        // Moved out (no copy of the record's lists, no retain/release of their storage).
        var record = Record.vacant
        swap(&record, &records[slot])
        occupied[slot] = false
        generations[slot] = generations[slot] == UInt32.max ? 1 : generations[slot] + 1
        freeSlots.append(handle.index)
        count -= 1
        return record
    }
}
