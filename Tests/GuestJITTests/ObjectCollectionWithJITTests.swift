import GuestJIT
import GuestVM
import Testing

@Suite("The guest object collector runs while the JIT is installed", .serialized)
struct ObjectCollectionWithJITTests {
    /// Strings made by compiled code and dropped are freed by collections at the interpreter's safepoints,
    /// while the objects still referenced (a kept array, a compiled method's boxed literal) survive them.
    @Test func garbageFromCompiledMethodsIsCollectedAndLiveObjectsSurvive() throws {
        let source = """
        def big; 4611686018427387904; end
        def make(i); "item #{i}"; end
        keep = []
        i = 0
        while i < 250_000
          s = make(i)
          keep << s if i % 100_000 == 0
          i += 1
        end
        p keep, s, big, big + 1, JIT.stat(:compiled_iseq_count) >= 2
        """
        let run = try GuestRun(jit: GuestRun.eager)
        let got = try run.run(source)
        #expect(got == #"["item 0", "item 100000", "item 200000"]"# + "\n" + #""item 249999""# + "\n"
            + "4611686018427387904\n4611686018427387905\ntrue\n")
        #expect(run.vm.heap.collections > 0)
        #expect(run.vm.heap.count < 200_000)
    }

    /// A compiled loop that allocates on every iteration and never leaves JIT code: the allocation that
    /// reaches the heap's threshold raises the interrupt flag, the loop's back-edge check polls, the
    /// collector runs there, and the loop continues compiled (no side exit). The live-object count seen
    /// inside the loop stays bounded although it allocates three times the threshold.
    @Test func garbageAllocatedInACompiledLoopIsCollectedWhileTheLoopKeepsRunningCompiled() throws {
        let source = """
        def churn(n)
          i = 0
          peak = 0
          keep = nil
          while i < n
            a = [i, "x"]
            keep = a if i == 1234
            live = GC.stat(:heap_live_slots)
            peak = live if live > peak
            i += 1
          end
          [peak, GC.count, keep, JIT.in_jit?]
        end
        exits = JIT.stat(:side_exit_count)
        r = churn(150_000)
        p r[0] < 150_000, r[1] > 0, r[2], r[3], JIT.stat(:side_exit_count) - exits < 5
        """
        let run = try GuestRun(jit: GuestRun.eager)
        run.vm.heap.threshold = 50_000
        let got = try run.run(source)
        #expect(got == "true\ntrue\n[1234, \"x\"]\ntrue\ntrue\n")
    }
}
