@testable import GuestVM
import Testing

@Suite struct GarbageCollectorTests {
    @Test func loopsThatAllocateKeepTheHeapBounded() throws {
        let h = GuestHarness()
        let out = try h.output(of: """
        keep = []
        i = 0
        while i < 300_000
          s = "item #{i}"
          keep << s if i % 100_000 == 0
          i += 1
        end
        p keep, s
        """)
        #expect(out == #"["item 0", "item 100000", "item 200000"]"# + "\n" + #""item 299999""# + "\n")
        #expect(h.vm.heap.collections > 0)
        #expect(h.vm.heap.count < 250_000)
    }
}
