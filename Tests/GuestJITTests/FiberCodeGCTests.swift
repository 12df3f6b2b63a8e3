import GuestJIT
import GuestVM
import Testing

/// A fiber suspended under compiled code (JIT -> cfunc Fiber.yield) keeps that code alive across code
/// collections, and lets it go once the fiber has finished.
@Suite("Fibers suspended in compiled code and the code collector", .serialized)
struct FiberCodeGCTests {
    @Test func fiberSuspendedInCompiledCodeSurvivesTwoCodeGCsAndItsPageIsFreedAfterItEnds() throws {
        let run = try GuestRun(jit: GuestRun.tiny)
        let jit = try #require(run.jit)
        let first = try run.run("""
        def step(x)
          inside = JIT.in_jit?
          got = Fiber.yield(x)
          [inside, JIT.in_jit?, x + got]
        end
        # Pages of short-lived code around step's, so that step's page holds nothing else that lives on.
        i = 0
        while i < 300
          eval("def churn; #{i}; end", TOPLEVEL_BINDING)
          churn
          if i == 150
            begin
              step(0) # compiles step (raises FiberError: not in a fiber)
            rescue FiberError
            end
          end
          i += 1
        end
        $f = Fiber.new { |x| step(x) }
        p $f.resume(5)
        # The only reference left to step's first code is the suspended fiber's native stack.
        eval("def step(x); :redefined; end", TOPLEVEL_BINDING)
        JIT.code_gc
        JIT.code_gc
        """)
        #expect(first == "5\n")
        #expect(run.vm.suspendedFiberCount == 1)
        let freedWhileSuspended = jit.stat("freed_page_count")!
        let out = try run.run("""
        p $f.resume(100)
        p $f.alive?
        p step(1)
        eval("nil", TOPLEVEL_BINDING) # retires replaced methods no frame runs any more
        JIT.code_gc
        """)
        // The redefinition invalidated step's code: the resumed frame returned through its exit into the
        // interpreter (false), which needs the suspended code's page to have survived both collections.
        #expect(out == "5\n[true, false, 105]\nfalse\n:redefined\n")
        #expect(run.vm.suspendedFiberCount == 0)
        #expect(jit.stat("code_gc_count")! >= 3)
        #expect(jit.stat("freed_page_count")! > freedWhileSuspended)
    }
}
