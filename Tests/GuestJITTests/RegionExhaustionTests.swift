import Testing

/// YJIT's "a 1 MiB region with code GC off runs out and everything still runs": compilation stops
/// (`region_full_count`), new methods run interpreted, and methods compiled before keep running compiled.
/// (Small methods may still fit the unwritten ends of pages: the late method is larger than a page, so it
/// needs fresh pages.)
@Suite("A full region without code GC", .serialized)
struct RegionExhaustionTests {
    @Test func oneMebibyteRegionWithoutCodeGCRunsOutAndTheProgramStillPrintsWhatTheInterpreterDoes() throws {
        let jitstack = try JitstackProcess.locate()
        let source = """
        sum = 0
        2000.times do |i|
          eval("def m#{i}(x); a = x + #{i}; b = a * 2; c = b - x; if c > 10 then c + 1 else c - 1 end; end; $r = m#{i}(#{i})", TOPLEVEL_BINDING)
          sum += $r
        end
        p sum
        \(JitstackProcess.statLines(["region_full_count", "compiled_iseq_count"]))
        # Compiled before the region filled up, and after: both still answer correctly.
        p [m0(7), m1(8), m1999(9), m1998(10)]
        def late_method_in_jit
          x = 0
        \((0..<600).map { _ in "  x = x + 1" }.joined(separator: "\n"))
          JIT.in_jit?
        end
        p late_method_in_jit
        \(JitstackProcess.statLines(["region_full_count", "code_gc_count", "live_page_count", "code_region_size", "page_size"]))
        """
        let interpreted = try jitstack.run(source, flags: ["--no-jit"])
        let compiled = try jitstack.run(source, flags: ["--call-threshold", "1", "--code-region", "1M", "--no-code-gc"])
        #expect(!interpreted.signaled && interpreted.status == 0, "\(interpreted.summary)")
        #expect(!compiled.signaled && compiled.status == 0, "\(compiled.summary)")
        #expect(compiled.programLines == interpreted.programLines)
        // It did run out, and kept running out, without ever collecting; every page is in use.
        let full = compiled.stats("region_full_count")
        #expect(full.count == 2 && full[0] > 0 && full[1] > full[0], "region_full_count \(full)")
        #expect(compiled.stat("compiled_iseq_count") ?? 0 > 100)
        #expect(compiled.stat("code_gc_count") == 0)
        let pages = (compiled.stat("code_region_size") ?? 0) / max(1, compiled.stat("page_size") ?? 1)
        #expect(compiled.stat("live_page_count") == pages)
    }
}
