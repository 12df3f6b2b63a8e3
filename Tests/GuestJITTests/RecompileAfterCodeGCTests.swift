import Testing

/// YJIT's "code compiles again after each of two GCs": after `JIT.discard_all` frees a method's code its
/// entry is reset, so the next call compiles it afresh (and runs it in JIT code), each time.
@Suite("Code compiles again after each collection that freed it", .serialized)
struct RecompileAfterCodeGCTests {
    @Test func methodIsCompiledAgainAndRunsInJITCodeAfterEachOfThreeDiscards() throws {
        let jitstack = try JitstackProcess.locate()
        // The fillers push `f` off the page the JIT is filling, so its page can really be freed.
        let source = """
        def f(x)
          [JIT.in_jit?, x + 1]
        end
        round = 0
        while round < 3
          p f(round)
          \(JitstackProcess.statLines(["compiled_iseq_count"]))
          i = 0
          while i < 40
            eval("def filler#{round}_#{i}; #{i}; end; filler#{round}_#{i}", TOPLEVEL_BINDING)
            i += 1
          end
          JIT.discard_all
          \(JitstackProcess.statLines(["code_gc_count", "freed_page_count"]))
          round += 1
        end
        """
        let run = try jitstack.run(source, flags: ["--call-threshold", "1", "--code-region", "256K", "--page-size", "4K"])
        #expect(!run.signaled && run.status == 0, "\(run.summary)")
        #expect(run.programLines.filter { !$0.isEmpty } == ["[true, 1]", "[true, 2]", "[true, 3]"])
        // f, then f again plus 40 fillers, after each discard.
        #expect(run.stats("compiled_iseq_count") == [1, 42, 83])
        #expect(run.stats("code_gc_count") == [1, 2, 3])
        let freed = run.stats("freed_page_count")
        #expect(freed.count == 3 && freed[0] > 0 && freed[1] > freed[0] && freed[2] > freed[1], "freed_page_count \(freed)")
    }
}
