import Testing

/// YJIT's deep-recursion case: 1,200 compiled frames, `JIT.discard_all` at the bottom. Every frame's
/// `jitReturn` is cleared, so the way back runs in the interpreter; the frame calling `discard_all` pins its
/// page through the native stack; once the recursion is gone the next collection frees what was pinned.
@Suite("Deep recursion with JIT.discard_all at the bottom", .serialized)
struct DeepRecursionDiscardTests {
    static let depth = 1200

    @Test func everyFrameReturnsTheRightValueAfterDiscardAllAtTheBottom() throws {
        let jitstack = try JitstackProcess.locate()
        // Each frame adds its n, plus 1,000,000 if it ran in JIT code on the way down.
        let source = """
        def bottom(discard)
          JIT.discard_all if discard
          0
        end
        def down(n, discard)
          j = JIT.in_jit?
          return bottom(discard) if n == 0
          r = down(n - 1, discard)
          r + n + (j ? 1000000 : 0)
        end
        p down(\(Self.depth), false)
        \(JitstackProcess.statLines(["freed_page_count"]))
        p down(\(Self.depth), true)
        \(JitstackProcess.statLines(["pinned_page_count", "freed_page_count"]))
        p down(\(Self.depth), false)
        JIT.code_gc
        \(JitstackProcess.statLines(["compiled_iseq_count", "freed_page_count"]))
        """
        let run = try jitstack.run(source, flags: ["--call-threshold", "1", "--code-region", "256K", "--page-size", "4K"])
        #expect(!run.signaled && run.status == 0, "\(run.summary)")
        let sum = (1...Self.depth).reduce(0, +)
        let allCompiled = "\(sum + Self.depth * 1_000_000)"
        // Before, during (frames compiled on the way down, interpreted on the way back) and after the discard.
        #expect(run.programLines.filter { !$0.isEmpty } == [Substring(allCompiled), Substring(allCompiled), Substring(allCompiled)])
        // The discard's collection pinned the page of the frame that called it.
        #expect(run.stat("pinned_page_count") ?? 0 > 0)
        // Both methods compiled again after the discard; the pinned code was freed once its frames were gone.
        #expect(run.stat("compiled_iseq_count") == 4)
        let freed = run.stats("freed_page_count")
        #expect(freed.count == 3 && freed[2] > freed[1], "freed_page_count \(freed)")
    }
}
