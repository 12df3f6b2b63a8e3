import GuestJIT
import GuestVM
import Testing

/// Guest threads running compiled code in parallel while another thread redefines their callee and
/// collects code: every collection stops the world at safepoints and walks every thread's stack.
@Suite("Guest threads, safepoints and the code collector", .serialized)
struct ThreadCodeGCTests {
    /// Four workers loop over a compiled method calling `callee` (checking every result) until the
    /// redefiner, a fifth thread, has replaced `callee` 300 times (same meaning, new code) and collected
    /// code after each replacement.
    static func redefinitionProgram(redefinitions: Int) -> String { """
    def callee(x)
      x + 1
    end

    def loop_calls(n)
      s = 0
      i = 0
      while i < n
        s += callee(i)
        i += 1
      end
      s
    end

    def work
      bad = 0
      rounds = 0
      while !$done
        bad += 1 if loop_calls(500) != 125250
        $started_lock.synchronize { $started += 1 if rounds == 0; $loops += 1 }
        rounds += 1
      end
      [bad, rounds > 0]
    end

    $done = false
    $started = 0
    $loops = 0
    $started_lock = Mutex.new
    workers = [0, 1, 2, 3].map { |k| Thread.new { work } }
    bodies = ["x + 1", "1 + x", "x - -1", "(x * 2 - x) + 1"]
    redefiner = Thread.new do
      # Every worker is inside its loop before the first redefinition (on a loaded machine a worker could
      # otherwise start after the last one and prove nothing).
      Thread.pass while $started_lock.synchronize { $started } < 4
      freed = 0
      \(redefinitions).times do |j|
        eval("def callee(x); " + bodies[j % 4] + "; end", TOPLEVEL_BINDING)
        # Every 10th time the workers run the new definition (compiling it) before the collection: on a
        # loaded machine the redefiner could otherwise finish before they compile any, and no collection
        # would find dead code. Each of the 4 workers may finish one loop begun before the eval; a 5th
        # finished loop began after it, so it called (and compiled) the new definition.
        if j % 10 == 0
          seen = $started_lock.synchronize { $loops }
          Thread.pass while $started_lock.synchronize { $loops } < seen + 5
        end
        freed += JIT.code_gc
      end
      freed
    end
    freed = redefiner.value
    $done = true
    p workers.map { |t| t.value }
    p freed > 0
    """ }

    @Test func threadsRunningCompiledLoopsGetExactResultsWhileAnotherThreadRedefinesTheirCalleeAndCollects() throws {
        let run = try GuestRun(jit: GuestRun.tiny)
        let jit = try #require(run.jit)
        let out = try run.run(Self.redefinitionProgram(redefinitions: 300))
        #expect(out == "[[0, true], [0, true], [0, true], [0, true]]\ntrue\n")
        #expect(jit.stat("code_gc_count")! >= 300)
        #expect(jit.stat("invalidation_count")! > 0)
        // Collections walked the other threads' stacks from their saved contexts, never conservatively.
        #expect(jit.stat("precise_stack_count")! >= 300)
        #expect(jit.stat("conservative_stack_count")! == 0)
        // Clean shutdown: every thread finished and left the safepoint protocol.
        #expect(run.vm.runningThreadCount == 0)
        #expect(run.vm.safepoints.mutatorCount == 1)
        #expect(run.vm.safepointStatistics.stops >= 300)
    }

    @Test func theSameProgramGivesTheSameResultsWithoutTheJIT() throws {
        let run = try GuestRun(jit: nil)
        let out = try run.run(Self.redefinitionProgram(redefinitions: 40))
        #expect(out == "[[0, true], [0, true], [0, true], [0, true]]\nfalse\n")
        #expect(run.vm.runningThreadCount == 0)
    }

    /// A thread parks (waits for a Mutex) inside compiled `parked_step`; meanwhile the main thread
    /// redefines it and collects code many times. The only reference to the old code is the return address
    /// on the parked thread's native stack: its page must survive, and the thread returns through it.
    @Test func aParkedThreadsCompiledFramePinsItsPageAcrossCollections() throws {
        let run = try GuestRun(jit: GuestRun.tiny)
        let jit = try #require(run.jit)
        let out = try run.run("""
        $m = Mutex.new
        $m.lock
        $waiting = false
        def parked_step(x, wait)
          inside = JIT.in_jit?
          if wait
            $waiting = true
            $m.lock
            $m.unlock
          end
          [inside, x + 1]
        end
        # Short-lived code around parked_step's, so its page holds nothing else that lives on.
        i = 0
        while i < 300
          eval("def churn; #{i}; end", TOPLEVEL_BINDING)
          churn
          parked_step(0, false) if i == 150
          i += 1
        end
        t = Thread.new { parked_step(41, true) }
        Thread.pass while !$waiting
        eval("def parked_step(x, wait); :redefined; end", TOPLEVEL_BINDING)
        i = 0
        while i < 200
          eval("def churn; #{i}; end", TOPLEVEL_BINDING)
          churn
          JIT.code_gc
          i += 1
        end
        $m.unlock
        p t.value
        p parked_step(1, true)
        """)
        // The resumed frame ran compiled code before parking (true) and returned through its patched
        // exit, which needs its page to have survived 200 collections.
        #expect(out == "[true, 42]\n:redefined\n")
        #expect(jit.stat("code_gc_count")! >= 200)
        #expect(jit.stat("freed_page_count")! > 0)
        #expect(jit.stat("precise_stack_count")! >= 200)
    }
}
