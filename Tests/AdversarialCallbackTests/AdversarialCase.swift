import Testing

/// One adversarial program: C cfuncs called from JIT code misbehave from inside (see
/// Tests/CTestFixtures/adversary_cfuncs.c), and the program's output says whether every frame came back
/// to the right code.
struct AdversarialCase: Sendable, CustomTestStringConvertible {
    let name: String
    let source: String
    let expectedOutput: String
    /// Return addresses into JIT code that the deepest fixture collection must have had on its stacks.
    var minimumJITFrames = 1
    /// Some fixture collection must find a page kept by stacks alone (the program arranges it: the
    /// method whose frame is live sits on a page of its own and is invalidated first).
    var pinsPages = true
    /// The ground truth needs chains a fixture recorded before leaving its stack or breaking its chain.
    var usesRecordedChains = false
    /// Guest code must have run with garbage in rbp.
    var garbageRBP = false
    /// Some fixture collection must have found JIT frames on other threads' (parked) stacks.
    var parkedThreads = false

    var testDescription: String { name }

    /// `churn_pages(n)` compiles a fresh `churn` `n` times: fills pages with dead code so that the next
    /// method compiled starts on a page of its own, and the one compiled before stops being written. The
    /// prelude runs it once, so that its own code does not share a page with the case's methods. Every
    /// `churn` returns a value no earlier one did: a body with the same bytecode would reuse its code.
    static let prelude = """
    $churns = 0
    def churn_pages(n)
      i = 0
      while i < n
        $churns += 1
        eval("def churn; #{$churns}; end", TOPLEVEL_BINDING)
        churn
        i += 1
      end
    end
    churn_pages(100)

    """

    static let all: [AdversarialCase] = [
        AdversarialCase(
            name: "a live method collects code from C",
            source: prelude + """
            def collector(x)
              adv_gc
              [x, JIT.in_jit?]
            end
            p collector(1)
            churn_pages(100)
            p collector(2)
            """,
            expectedOutput: "[1, true]\n[2, true]\n", pinsPages: false),
        AdversarialCase(
            name: "C removes its calling method, then collects",
            source: prelude + """
            class Foo
              def adversary(go)
                adv_remove_and_gc(Foo, "adversary", go)
                [go, JIT.in_jit?]
              end
            end
            f = Foo.new
            p f.adversary(false)
            churn_pages(100)
            p f.adversary(true)
            begin
              f.adversary(true)
            rescue NoMethodError => e
              p e.class
            end
            """,
            expectedOutput: "[false, true]\n[true, false]\nNoMethodError\n"),
        AdversarialCase(
            name: "C redefines its calling method, then collects",
            source: prelude + """
            def adversary(go)
              adv_redefine_and_gc("def adversary(go); :new_version; end", go)
              [:old_version_continues, JIT.in_jit?]
            end
            p adversary(false)
            churn_pages(100)
            p adversary(true)
            p adversary(true)
            """,
            expectedOutput: "[:old_version_continues, true]\n[:old_version_continues, false]\n:new_version\n"),
        AdversarialCase(
            name: "C calls JIT.discard_all under two levels of JIT frames",
            source: prelude + """
            def inner(x)
              adv_discard_all
              x
            end
            def hop(x, unused); inner(x); end
            def outer(x)
              r = adv_call("hop", x, nil)
              [r, JIT.in_jit?]
            end
            p hop(0, nil)
            churn_pages(100)
            p outer(1)
            churn_pages(100)
            p outer(2)
            """,
                        // discard_all frees all other code and the methods compile again onto the page being written,
            // which its writer holds: nothing is kept by stacks alone, but the frames' pages must survive.
            expectedOutput: "0\n[1, false]\n[2, false]\n", minimumJITFrames: 2, pinsPages: false),
        AdversarialCase(
            name: "JIT -> C -> JIT -> C -> JIT -> C collects, outermost method redefined",
            source: prelude + """
            def level3(x, go)
              adv_redefine_and_gc("def level1(x, go); :redefined; end", go)
              x + 3
            end
            def hop3(x, go); level3(x, go); end
            def level2(x, go)
              adv_call("hop3", x + 2, go) + 20
            end
            def hop2(x, go); level2(x, go); end
            def level1(x, go)
              adv_call("hop2", x + 1, go) + 10
            end
            p hop2(0, false)
            churn_pages(100)
            p level1(0, false)
            churn_pages(100)
            p level1(100, true)
            p level1(0, true)
            """,
            expectedOutput: "25\n36\n136\n:redefined\n", minimumJITFrames: 3),
        AdversarialCase(
            name: "1,000 interleaved JIT and C levels collect at the bottom, outermost method redefined",
            source: prelude + """
            def down(n, go)
              if n == 0
                adv_redefine_and_gc("def outermost(n, go); :redefined; end", go)
                0
              else
                adv_call("hop", n - 1, go) + 1
              end
            end
            def hop(n, go); down(n, go); end
            def outermost(n, go)
              adv_call("hop", n, go) + 1
            end
            p hop(3, false)
            churn_pages(100)
            p outermost(3, false)
            churn_pages(100)
            p outermost(1000, true)
            p outermost(1000, true)
            """,
            expectedOutput: "3\n4\n1001\n:redefined\n", minimumJITFrames: 1001),
        AdversarialCase(
            name: "C collects and raises through JIT frames to a rescue in the interpreter",
            source: prelude + """
            def thrower(x, go)
              adv_redefine_and_gc("def middle(x, go); :middle_redefined; end", go)
              adv_gc_and_raise("boom #{x}")
              :not_reached
            end
            def hop(x, go); thrower(x, go); end
            def middle(x, go)
              adv_call("hop", x, go)
              :not_reached_either
            end
            begin
              hop(0, false)
            rescue RuntimeError => e
              p e.message
            end
            churn_pages(100)
            begin
              middle(1, false)
            rescue RuntimeError => e
              p e.message
            end
            churn_pages(100)
            begin
              middle(2, true)
            rescue RuntimeError => e
              p e.message
            end
            p middle(3, true)
            """,
            expectedOutput: "\"boom 0\"\n\"boom 1\"\n\"boom 2\"\n:middle_redefined\n", minimumJITFrames: 2),
        AdversarialCase(
            name: "C yields a fiber under a JIT frame; the method is redefined and code collected meanwhile",
            source: prelude + """
            def step(x)
              got = adv_fiber_yield(x)
              [x + got, JIT.in_jit?]
            end
            def collect_now; adv_gc; end
            warm = Fiber.new { |x| step(x) }
            warm.resume(1)
            p warm.resume(2)
            churn_pages(100)
            collect_now
            f = Fiber.new { |x| step(x) }
            p f.resume(5)
            eval("def step(x); :redefined; end", TOPLEVEL_BINDING)
            churn_pages(100)
            collect_now
            collect_now
            p f.resume(100)
            p step(1)
            """,
            expectedOutput: "[3, true]\n5\n[105, false]\n:redefined\n", usesRecordedChains: true),
        AdversarialCase(
            name: "C resumes a fiber that collects while the resuming JIT method is redefined",
            source: prelude + """
            def inside(go)
              adv_redefine_and_gc("def resumer(f, go); :redefined; end", go)
              :inside_done
            end
            def resumer(f, go)
              r = adv_fiber_resume(f, go)
              [r, :back_in_resumer, JIT.in_jit?]
            end
            p Fiber.new { |go| inside(go) }.resume(false)
            churn_pages(100)
            p resumer(Fiber.new { |go| inside(go) }, false)
            churn_pages(100)
            p resumer(Fiber.new { |go| inside(go) }, true)
            p resumer(Fiber.new { |go| inside(go) }, true)
            """,
            expectedOutput: ":inside_done\n[:inside_done, :back_in_resumer, true]\n[:inside_done, :back_in_resumer, false]\n:redefined\n",
            usesRecordedChains: true),
        AdversarialCase(
            name: "C runs guest code with garbage in rbp; it collects and redefines the JIT caller",
            source: prelude + """
            def leaf(x, go)
              adv_redefine_and_gc("def via_garbage(x, go); :redefined; end", go)
              x * 2
            end
            def hop(x, go); leaf(x, go); end
            def via_garbage(x, go)
              r = adv_call_with_garbage_rbp("hop", x, go)
              [r + 1, JIT.in_jit?]
            end
            p hop(0, false)
            churn_pages(100)
            p via_garbage(1, false)
            churn_pages(100)
            p via_garbage(2, true)
            p via_garbage(3, true)
            """,
            expectedOutput: "0\n[3, true]\n[5, false]\n:redefined\n", minimumJITFrames: 2, usesRecordedChains: true,
            garbageRBP: true),
        AdversarialCase(
            name: "C enables a TracePoint under two JIT frames, then collects",
            source: prelude + """
            $log = []
            $tp = TracePoint.new(:call) { |t| $log << t.method_id }
            def helper(x)
              x + 1
            end
            def tracer(go)
              adv_enable_and_gc($tp, go)
              helper(1)
            end
            def hop(go, unused); tracer(go); end
            def outer(go)
              r = adv_call("hop", go, nil)
              [r, helper(2)]
            end
            p hop(false, nil)
            churn_pages(100)
            p outer(false)
            churn_pages(100)
            p outer(true)
            $tp.disable
            p $log
            p outer(false)
            """,
                        // `disable` is guest code here, so it logs a :call too (as without the JIT).
            expectedOutput: "2\n[2, 3]\n[2, 3]\n[:helper, :helper, :disable]\n[2, 3]\n", minimumJITFrames: 2),
        AdversarialCase(
            name: "C on one thread redefines the callee of compiled loops running on three others, and collects",
            source: prelude + """
            def callee(x)
              x + 1
            end
            # Called back from C, so interpreted: the workers spend most of their time here, parked at its
            # safepoints with loop_calls's JIT frame under them on their native stacks.
            def spin(x, unused)
              j = 0
              while j < 20
                j += 1
              end
              x
            end
            def loop_calls(n)
              s = 0
              i = 0
              while i < n
                s += callee(adv_call("spin", i, nil))
                i += 1
              end
              s
            end
            def work
              bad = 0
              rounds = 0
              while !$done
                bad += 1 if loop_calls(200) != 20100
                rounds += 1
              end
              [bad, rounds > 0]
            end
            def redefine_from_c(source)
              adv_redefine_and_gc(source, true)
            end
            $done = false
            workers = [0, 1, 2].map { |k| Thread.new { work } }
            bodies = ["x + 1", "1 + x", "x - -1", "(x * 2 - x) + 1"]
            redefiner = Thread.new do
              j = 0
              while j < 40
                redefine_from_c("def callee(x); " + bodies[j % 4] + "; end")
                j += 1
              end
              j
            end
            p redefiner.value
            $done = true
            p workers.map { |t| t.value }
            """,
            expectedOutput: "40\n[[0, true], [0, true], [0, true]]\n", pinsPages: false, parkedThreads: true),
    ]
}
