import GuestJIT
import Testing

@Suite("The JIT's code is collected while programs run", .serialized)
struct CodeGCIntegrationTests {
    @Test func seedChurnInASmallRegionCollectsAndRunsEveryCallInJITCode() throws {
        let source = """
        n = 0
        sum = 0
        3000.times do |i|
          eval("def test; [JIT.in_jit?, #{i}]; end", TOPLEVEL_BINDING)
          r = test()
          n += 1 if r[0]
          sum += r[1]
        end
        p n
        p sum
        """
        let (got, jit) = try GuestRun.output(source, jit: GuestRun.tiny)
        // Every call ran compiled code, and each saw its own definition's value (no stale code).
        #expect(got == "3000\n\((0..<3000).reduce(0, +))\n")
        let stats = try #require(jit)
        #expect(stats.stat("code_gc_count")! > 0)
        #expect(stats.stat("freed_page_count")! > 0)
        #expect(stats.stat("live_page_count")! * 4096 <= 256 << 10)
    }

    @Test func discardAllAndCodeGCFromInsideCompiledCodeInLoops() throws {
        let source = """
        def work(i)
          a = i * 2
          if i % 3 == 0
            JIT.discard_all
          else
            JIT.code_gc
          end
          a + 1
        end
        def outer(n)
          s = 0
          i = 0
          while i < n
            s = s + work(i)
            i += 1
          end
          s
        end
        p outer(40)
        p outer(40)
        """
        let (expected, _) = try GuestRun.output(source, jit: nil)
        let (got, jit) = try GuestRun.output(source, jit: GuestRun.tiny)
        #expect(got == expected)
        let stats = try #require(jit)
        #expect(stats.stat("code_gc_count")! >= 80)
        #expect(stats.stat("compiled_iseq_count")! > 2)
    }

    @Test func regionWithoutCodeGCFillsUpAndEverythingStillRuns() throws {
        let source = """
        sum = 0
        2000.times do |i|
          eval("def test; #{i}; end", TOPLEVEL_BINDING)
          sum += test()
        end
        p sum
        """
        let config = JITConfiguration(callThreshold: 1, regionSize: 64 << 10, pageSize: 4 << 10, codeGC: false)
        let (got, jit) = try GuestRun.output(source, jit: config)
        #expect(got == "\((0..<2000).reduce(0, +))\n")
        let stats = try #require(jit)
        #expect(stats.stat("region_full_count")! > 0)
        #expect(stats.stat("code_gc_count")! == 0)
    }
}
