import Testing
@testable import CodeGC

/// Block and owner records are built in the slot they go to; a reused slot must not keep anything of the
/// record that was freed there.
@Suite("Records inserted in place")
struct InPlaceRecordInsertionTests {
    @Test func aBlockRecordInsertedIntoAFreedSlotKeepsNothingOfTheFreedBlock() {
        var table = SlotTable<BlockRecord>()
        let old = table.insert { record in
            record.owner = CodeOwnerID(1)
            record.key = 11
            record.ranges.append(0x1000..<0x1010)
            record.ranges.append(0x2000..<0x2010)
            record.ranges.append(0x3000..<0x3010)
            record.state = .invalidated
            record.isEntry = true
            record.outgoing.append(BranchID(rawValue: 5))
            record.incoming.append(BranchID(rawValue: 6))
            record.references.append(0x1800..<0x1820)
            record.returnPoints.append(ReturnPoint(returnAddress: 0x1004, jumpAddress: 0x1004))
        }
        table.remove(old)
        let new = table.insert { record in
            record.owner = CodeOwnerID(2)
            record.key = 22
            record.ranges.append(0x4000..<0x4008)
        }
        #expect(new.index == old.index && new.generation != old.generation)
        #expect(!table.contains(old))
        let record = table[new]
        #expect(record.owner == CodeOwnerID(2) && record.key == 22)
        #expect(Array(record.ranges) == [0x4000..<0x4008])
        #expect(record.state == .live && !record.isEntry)
        #expect(record.outgoing.isEmpty && record.incoming.isEmpty)
        #expect(record.references.isEmpty && record.returnPoints.isEmpty)
    }

    @Test func anOwnerRecordInsertedIntoAFreedSlotStartsFresh() {
        var map = OwnerMap()
        let first = map.insert(CodeOwnerID(7), counterSlot: 3, lastActiveCollection: 4)
        map[slot: first].entries.append(BlockID(rawValue: 9))
        map[slot: first].blockCount = 5
        map[slot: first].lastSeenCount = 6
        map.remove(slot: first)
        #expect(map.slot(of: CodeOwnerID(7)) == nil)
        let second = map.insert(CodeOwnerID(8), counterSlot: 10, lastActiveCollection: 12)
        #expect(second == first)
        #expect(map.slot(of: CodeOwnerID(8)) == second)
        let record = map[slot: second]
        #expect(record.id == CodeOwnerID(8) && record.counterSlot == 10 && record.lastActiveCollection == 12)
        #expect(record.entries.isEmpty && record.blockCount == 0 && record.lastSeenCount == 0)
    }

    @Test func pageEntriesStaySortedWhetherCodeArrivesUpwardsOrNot() {
        var table = PageTable(base: 0x10000, pageSize: 4096, pageCount: 2)
        let starts: [UInt] = [0x10100, 0x10200, 0x10080, 0x10300, 0x10000, 0x10280]
        for (i, start) in starts.enumerated() { table.insert(start..<(start + 0x10), .block(BlockID(rawValue: UInt64(i + 1)))) }
        #expect(table.pages[0].entries.map(\.start) == starts.sorted())
        var found: [CodeObject] = []
        table.forEachObject(containing: 0x10085) { found.append($0) }
        #expect(found == [.block(BlockID(rawValue: 3))])
    }
}
