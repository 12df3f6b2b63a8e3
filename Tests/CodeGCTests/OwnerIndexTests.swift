import Testing
@testable import CodeGC

@Suite("Owner index")
struct OwnerIndexTests {
    @Test func findsEveryInsertedOwnerAndForgetsRemovedOnesThroughManyGrowthsAndRemovals() {
        var index = OwnerIndex()
        var model: [UInt64: Int] = [:]
        var generator = SystemRandomNumberGenerator()
        // Keys with common low and high bits collide in a multiplicative hash less than random ones would
        // not: mix sequential ids (the JIT's slot|generation ids), large ones and random ones.
        var keys: [UInt64] = Array(0..<600) + (0..<200).map { UInt64($0) << 32 | 7 } + (0..<200).map { _ in UInt64.random(in: 0...UInt64.max, using: &generator) }
        keys = Array(Set(keys))
        for (slot, key) in keys.enumerated() {
            index.insert(key, slot: slot)
            model[key] = slot
        }
        for round in 0..<3 {
            for key in keys.shuffled().prefix(keys.count / 2) where model[key] != nil {
                index.remove(key)
                model[key] = nil
            }
            for (slot, key) in keys.enumerated() where model[key] == nil && slot % 3 == round {
                index.insert(key, slot: slot)
                model[key] = slot
            }
            #expect(index.count == model.count)
            for key in keys { #expect(index.find(key) == model[key], "key \(key) in round \(round)") }
        }
        #expect(index.capacity >= 2 * index.count)
        #expect(index.find(UInt64.max - 12345) == nil || model[UInt64.max - 12345] != nil)
    }

    @Test func anOwnerWhoseEntriesGoWithNoCodeLeftIsForgottenAtOnce() throws {
        var harness = FakeHarness()
        let page = try harness.newPage()
        let counter = harness.gc.entryCounter(for: CodeOwnerID(5))
        counter.pointee = 3
        #expect(harness.gc.removeEntries(of: CodeOwnerID(5)) == false)
        // A fresh record: the counter slot went back to the table (and is handed out again).
        #expect(harness.gc.entryCounter(for: CodeOwnerID(6)) == counter)

        let block = try harness.block(7, on: page)
        try harness.gc.setEntry(block)
        #expect(harness.gc.hasEntries(CodeOwnerID(7)))
        #expect(harness.gc.removeEntries(of: CodeOwnerID(7)) == true)
        #expect(!harness.gc.hasEntries(CodeOwnerID(7)))
        try harness.gc.collect()
        #expect(harness.roots.ownersFreed == [CodeOwnerID(7)])
    }
}
