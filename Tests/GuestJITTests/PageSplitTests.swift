import GuestJIT
import Testing

@Suite("Blocks that do not fit in their page", .serialized)
struct PageSplitTests {
    @Test func longBlockContinuesOnAFreshPageAndComputesTheSameResult() throws {
        // One straight-line block far longer than a 4K page's inline half (2K).
        let body = (0..<300).map { "  x = x + \($0) - (x - x)" }.joined(separator: "\n")
        let source = "def long(x)\n\(body)\n  x\nend\np long(1)\np long(2)\n"
        let (expected, _) = try GuestRun.output(source, jit: nil)
        let (got, jit) = try GuestRun.output(source, jit: GuestRun.tiny)
        #expect(got == expected)
        let stats = try #require(jit)
        #expect(stats.stat("split_block_count")! > 0)
        #expect(stats.stat("compiled_iseq_count")! == 1)
    }
}
