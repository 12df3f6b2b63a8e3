import Testing

/// YJIT's deep-recursion case: 1,200 compiled frames, `JIT.discard_all` at the bottom. Every frame's
/// `jitReturn` is cleared, so the way back runs in the interpreter; the frame calling `discard_all` pins its
/// page through the native stack; once the recursion is gone the next collection frees what was pinned.
@Suite("Deep recursion with JIT.discard_all at the bottom", .serialized)
struct DeepRecursionDiscardTests {
    static let depth = 1200

    /// 100 small methods, compiled after `down` and `bottom`: they move the JIT's current page (held by the
    /// writer, so never counted as pinned nor freed) away from `bottom`'s, however compact the code is.
    static let fillers = (0..<100).map { "def f\($0)(x)\n  x + \($0)\nend\nf\($0)(0)\n" }.joined()

    @Test func everyFrameReturnsTheRightValueAfterDiscardAllAtTheBottom() throws {
        let jitstack = try JitstackProcess.locate()
        // Each frame adds its n, plus 1,000,000 if it ran in JIT code on the way down. `bottom`'s send site
        // is compiled by the first run (a receiver whose `discard_all` does nothing), so the discard is
        // called from code on a page the writer no longer holds.
        let source = """
        class KeepAll
          def discard_all; end
        end
        def bottom(target)
          target.discard_all
          0
        end
        def down(n, target)
          j = JIT.in_jit?
          return bottom(target) if n == 0
          r = down(n - 1, target)
          r + n + (j ? 1000000 : 0)
        end
        p down(\(Self.depth), KeepAll.new)
        \(Self.fillers)
        \(JitstackProcess.statLines(["freed_page_count"]))
        p down(\(Self.depth), JIT)
        \(JitstackProcess.statLines(["pinned_page_count", "freed_page_count"]))
        p down(\(Self.depth), KeepAll.new)
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
        // Both methods (and `KeepAll#discard_all`, and the fillers) compiled; `down` and `bottom` again after the discard; the pinned code was freed once its frames were gone.
        #expect(run.stat("compiled_iseq_count") == 4 + 100 + 2)
        let freed = run.stats("freed_page_count")
        #expect(freed.count == 3 && freed[2] > freed[1], "freed_page_count \(freed)")
    }
}
