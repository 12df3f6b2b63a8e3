import GuestJIT
import Testing

@Suite("Code made unreachable is collected before the region fills", .serialized)
struct UnreachableCodeCollectionTests {
    /// The seed's churn in the default 64 MiB region: without a trigger on unreachable code the region
    /// (and the metadata of every dead method) would only be collected once full, after ~400,000
    /// definitions. 20,000 definitions with the budget at 16,384 unreachable blocks must collect, and keep
    /// only a handful of pages.
    @Test func redefinedMethodsCodeIsFreedLongBeforeALargeRegionFills() throws {
        let source = """
        sum = 0
        20_000.times do |i|
          eval("def test; #{i}; end", TOPLEVEL_BINDING)
          sum += test()
        end
        p sum
        """
        let (got, jit) = try GuestRun.output(source, jit: JITConfiguration(callThreshold: 1, regionSize: 64 << 20))
        #expect(got == "\((0..<20_000).reduce(0, +))\n")
        let stats = try #require(jit)
        #expect(stats.stat("compiled_iseq_count")! >= 20_000)
        #expect(stats.stat("code_gc_count")! >= 1)
        // ~160 bytes of code per definition: 20,000 would need ~200 pages of 16 KiB if nothing was freed.
        #expect(stats.stat("live_page_count")! < 100)
        #expect(stats.stat("block_count")! < 16384)
    }

    /// Methods that stay defined are not garbage: compiling many of them never triggers a collection
    /// on its own (the region is large), so live code is not marked again and again.
    @Test func liveMethodsAloneDoNotTriggerCollections() throws {
        let definitions = (0..<300).map { "def m\($0)(x); x + \($0); end" }.joined(separator: "\n")
        let calls = (0..<300).map { "s += m\($0)(1)" }.joined(separator: "\n")
        let source = definitions + "\ns = 0\n" + calls + "\np s\n"
        let (got, jit) = try GuestRun.output(source, jit: JITConfiguration(callThreshold: 1, regionSize: 64 << 20))
        #expect(got == "\((0..<300).reduce(0) { $0 + $1 + 1 })\n")
        let stats = try #require(jit)
        #expect(stats.stat("compiled_iseq_count")! >= 300)
        #expect(stats.stat("code_gc_count")! == 0)
    }
}
