import Testing
@testable import CodeGC

@Suite("Owner notifications")
struct OwnerNotificationTests {
    @Test func invalidatingAnEntryTellsTheClientAndFreeingTheLastBlockToo() throws {
        var harness = FakeHarness()
        let page = try harness.newPage()
        let entry = try harness.block(9, on: page)
        let other = try harness.block(8, on: page)
        try harness.gc.setEntry(entry)
        try harness.gc.setEntry(other)
        try harness.gc.invalidate(entry)
        #expect(harness.roots.removedEntries.map(\.0) == [entry])
        #expect(harness.roots.removedEntries.map(\.1) == [CodeOwnerID(9)])
        #expect(harness.gc.entries(of: CodeOwnerID(9)).isEmpty)
        #expect(harness.gc.entries(of: CodeOwnerID(8)) == [other])
        #expect(harness.roots.ownersFreed.isEmpty)

        try harness.gc.collect()
        #expect(harness.roots.ownersFreed == [CodeOwnerID(9)])
        #expect(harness.gc.info(entry) == nil)
    }

    @Test func evictionTellsTheClientItsEntryIsGone() throws {
        var harness = FakeHarness()
        let page = try harness.newPage()
        harness.useFactory(on: try harness.newPage())
        let entry = try harness.block(3, on: page)
        try harness.gc.setEntry(entry)
        try harness.gc.evict(CodeOwnerID(3))
        #expect(harness.roots.removedEntries.map(\.0) == [entry])
        #expect(harness.gc.info(entry)?.state == .invalidated)
    }
}
