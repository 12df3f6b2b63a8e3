import CodeGC

/// The JIT's owner records, found without hashing. An owner id is its record's slot (low 32 bits) and the
/// slot's generation (high 32 bits): a lookup is an index and a compare, and ids of freed records stay
/// detectably stale after their slot is reused. Method owners are also listed by name symbol id (an index:
/// symbol ids are dense), so a redefinition finds the code that assumed the old method in O(1).
///
/// A churn of tiny methods creates and frees one owner per compilation; dictionaries keyed by owner or ISEQ
/// would hash several times on each (the ISEQ reaches its record through `jitPayload` instead). A record
/// gets its id and slot only when its ISEQ compiles code of its own (``register(_:)``): the user of a shared
/// body (`SharedBodies`) is only listed by name.
struct OwnerDirectory {
    /// The id of a record not registered (no slot: generation 0 is never handed out).
    static let unregistered = CodeOwnerID(0)

    private var records: [GuestJIT.OwnerRecord?] = []
    private var generations: [UInt32] = []
    private var freeSlots: [UInt32] = []
    /// Per name symbol id: method owners whose ISEQ is alive (a handful per name at most).
    private var byName: [[GuestJIT.OwnerRecord]] = []
    /// Records held.
    private(set) var count = 0

    /// The record of `owner`, or nil if it was removed.
    subscript(owner: CodeOwnerID) -> GuestJIT.OwnerRecord? {
        guard !SharedBodies.isShared(owner) else { return nil }
        let slot = Int(UInt32(truncatingIfNeeded: owner.rawValue))
        guard slot < generations.count, generations[slot] == UInt32(truncatingIfNeeded: owner.rawValue >> 32) else { return nil }
        return records[slot]
    }

    /// The id the next ``add(_:)`` hands out.
    mutating func nextID() -> CodeOwnerID {
        if let slot = freeSlots.last { return Self.id(slot: slot, generation: generations[Int(slot)]) }
        return Self.id(slot: UInt32(records.count), generation: 1)
    }

    /// Lists a new record under its name (method owners: a redefinition finds it), registered or not.
    mutating func listName(_ record: GuestJIT.OwnerRecord) {
        if let nameID = record.nameID {
            if nameID >= byName.count { byName.append(contentsOf: repeatElement([], count: nameID + 1 - byName.count)) }
            byName[nameID].append(record)
        }
    }

    /// Gives an unregistered record its id and slot.
    mutating func register(_ record: GuestJIT.OwnerRecord) {
        precondition(record.id == Self.unregistered, "owner registered twice")
        record.id = nextID()
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = Int(free)
            records[slot] = record
        } else {
            slot = records.count
            records.append(record)
            generations.append(1)
        }
        count += 1
    }

    /// Takes `record` off its name's list (its ISEQ died: no redefinition concerns it any more).
    mutating func forgetName(of record: GuestJIT.OwnerRecord) {
        guard let nameID = record.nameID, nameID < byName.count else { return }
        if let index = byName[nameID].firstIndex(where: { $0 === record }) { byName[nameID].remove(at: index) }
    }

    /// Removes `record` (its ISEQ is dead and its code freed); its id goes stale.
    mutating func remove(_ record: GuestJIT.OwnerRecord) {
        forgetName(of: record)
        guard self[record.id] === record else { return }
        let slot = Int(UInt32(truncatingIfNeeded: record.id.rawValue))
        records[slot] = nil
        generations[slot] = generations[slot] == UInt32.max ? 1 : generations[slot] + 1
        freeSlots.append(UInt32(slot))
        count -= 1
    }

    /// Method owners named `nameID` whose ISEQ is alive.
    func owners(named nameID: Int) -> [GuestJIT.OwnerRecord] {
        nameID < byName.count ? byName[nameID] : []
    }

    /// Calls `body` with every record.
    func forEach(_ body: (GuestJIT.OwnerRecord) -> Void) {
        for record in records { if let record { body(record) } }
    }

    private static func id(slot: UInt32, generation: UInt32) -> CodeOwnerID {
        CodeOwnerID(UInt64(generation) << 32 | UInt64(slot))
    }
}
