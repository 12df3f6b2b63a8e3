import Testing

/// YJIT's "partial last page": a collection finds the page the JIT is still bump-allocating into holding
/// nothing but dead code. The page must survive (the JIT's writer hold) and later code goes on it.
@Suite("The partly used current page survives a collection", .serialized)
struct PartialLastPageTests {
    @Test func currentPageHoldingOnlyDeadCodeIsKeptAndNewCodeIsCompiledOntoIt() throws {
        let jitstack = try JitstackProcess.locate()
        let source = """
        def first(x)
          [JIT.in_jit?, x + 1]
        end
        p first(1)
        eval("def first(x); [JIT.in_jit?, x + 2]; end", TOPLEVEL_BINDING)
        \(JitstackProcess.statLines(["live_page_count"]))
        puts "stat freed_by_code_gc " + JIT.code_gc.to_s
        def second(x)
          [JIT.in_jit?, x * 3]
        end
        p second(5)
        p first(1)
        \(JitstackProcess.statLines(["live_page_count", "freed_page_count", "code_gc_count"]))
        """
        for pageSize in ["4K", "16K"] {
            let run = try jitstack.run(source, flags: ["--call-threshold", "1", "--code-region", "256K", "--page-size", pageSize])
            #expect(!run.signaled && run.status == 0, "\(run.summary)")
            // Both methods compiled after the collection and ran in JIT code, with their own values.
            #expect(run.programLines.filter { !$0.isEmpty } == ["[true, 2]", "[true, 15]", "[true, 3]"])
            // The shared page and the current page: the collection freed neither, and no new page was needed.
            #expect(run.stats("live_page_count") == [2, 2])
            #expect(run.stat("freed_by_code_gc") == 0)
            #expect(run.stat("code_gc_count") == 1)
        }
    }
}
