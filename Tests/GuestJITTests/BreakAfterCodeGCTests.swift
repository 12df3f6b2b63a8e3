import Testing

/// YJIT's "GC inside a block followed by `break`". Here `yield` leaves compiled code for the interpreter,
/// so what holds the enclosing method's code during the block is the iterator frame's `jitReturn` (a
/// root), not a native frame; `JIT.discard_all` clears it instead.
@Suite("A code GC inside a block, then break", .serialized)
struct BreakAfterCodeGCTests {
    /// `find`'s block redefines every method (so `find`'s running code is invalidated and only the
    /// iterator frame's `jitReturn` still leads into it), collects or discards everything, then breaks or
    /// lets the iterator return into `find`. The fillers move the JIT off `find`'s page so it can be freed.
    static let program = """
    SRC = "def each_upto(n)
      i = 0
      while i < n
        yield i
        i += 1
      end
      -1
    end
    def fillers(k)
      j = 0
      while j < 12
        eval('def fill' + j.to_s + '; ' + (j + k).to_s + '; end; fill' + j.to_s, TOPLEVEL_BINDING)
        j += 1
      end
    end
    def find(limit, stop, mode)
      r = each_upto(limit) do |v|
        if v == 1
          fillers(v)
          eval(SRC, TOPLEVEL_BINDING)
        end
        if mode == 0
          JIT.code_gc
        else
          JIT.discard_all
        end
        break v * 10 if v == stop
      end
      r + 1
    end"
    eval(SRC, TOPLEVEL_BINDING)
    total = 0
    k = 0
    while k < 30
      total = total + find(6, k % 8, k % 2)
      k += 1
    end
    p total
    """

    @Test func blockRedefiningItsMethodThenCollectingBreaksOrReturnsThroughTheIteratorFramesJITReturn() throws {
        let jitstack = try JitstackProcess.locate()
        let source = Self.program + "\n" + JitstackProcess.statLines(["code_gc_count", "freed_page_count", "compiled_iseq_count"])
        let interpreted = try jitstack.run(source, flags: ["--no-jit"])
        let compiled = try jitstack.run(source, flags: ["--call-threshold", "1", "--code-region", "64K", "--page-size", "4K"])
        #expect(!interpreted.signaled && interpreted.status == 0, "\(interpreted.summary)")
        #expect(!compiled.signaled && compiled.status == 0, "\(compiled.summary)")
        #expect(compiled.programLines == interpreted.programLines)
        // The iterator and its caller ran compiled, every block collected, and dead code was freed meanwhile.
        #expect(compiled.stat("compiled_iseq_count") ?? 0 > 2)
        #expect(compiled.stat("code_gc_count") ?? 0 >= 30)
        #expect(compiled.stat("freed_page_count") ?? 0 > 0)
    }
}
