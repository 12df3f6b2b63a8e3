/// One embedded scenario of `jitstack demo`: a guest program, the flags it runs with, and what it shows.
struct DemoScenario {
    /// `churn`, `adversary`, `fiber`, `callback` (the `--scenario` value).
    var name: String
    var title: String
    /// Two or three sentences: what happens and what to look at.
    var story: String
    var program: String
    var flags: [String]
    /// Stats printed after the run.
    var stats: [String] = ["code_gc_count", "freed_page_count", "pinned_page_count", "live_page_count",
                           "invalidation_count", "compiled_block_count"]

    /// The seed's churn, at a size that runs in a few seconds in a debug build.
    static func churn(evals: Int) -> DemoScenario {
        DemoScenario(
            name: "churn",
            title: "The seed's churn at 1 MiB: a new `test` compiled and discarded on every iteration",
            story: """
            Every iteration redefines `test` and calls it once, so every iteration compiles fresh code and \
            invalidates the last (with --no-code-sharing: by default the JIT compiles this body once and every \
            new `test` with the same bytecode runs it). The region is 1 MiB (64 pages of 16 KiB): it fills up, and each code GC \
            frees the pages whose code was invalidated, which the JIT then reuses. The page map shows the \
            region filling and emptying; the run never stops compiling (region_full_count 0).
            """,
            program: """
            \(evals).times { eval("def test; 1; end", TOPLEVEL_BINDING); test() }
            puts "done"
            """,
            flags: ["--code-region", "1M", "--call-threshold", "1", "--no-code-sharing"],
            stats: ["code_gc_count", "freed_page_count", "live_page_count", "free_page_count", "region_full_count",
                    "compiled_iseq_count"])
    }

    static let adversary = DemoScenario(
        name: "adversary",
        title: "The adversary: a compiled method that removes itself and collects code while it runs",
        story: """
        `adversary` is compiled; on its fourth call it removes itself (through eval), runs a code GC and dumps \
        the stacks from inside that eval. Its JIT frame is still on the native stack: the dump shows the frame \
        `invalidated` and the page it pins, so the GC cannot free that code. When eval returns, the frame \
        continues through its patched return point in the interpreter; the next GC frees the code.
        """,
        program: """
        class Foo
          def adversary(n)
            eval("::Foo.remove_method(:adversary); JIT.code_gc; JIT.dump_stack") if n == 3
            n
          end
        end
        def drive(foo, n); foo.adversary(n) + 1; end
        foo = Foo.new
        sum = 0
        4.times { |i| sum += drive(foo, i) }
        JIT.code_gc
        puts sum
        """,
        flags: ["--call-threshold", "1", "--page-size", "4K"])

    static let fiber = DemoScenario(
        name: "fiber",
        title: "A fiber suspended inside compiled code across code GCs",
        story: """
        `worker` is compiled and calls Fiber.yield: its JIT frame sleeps on the fiber's own native stack. The \
        main program redefines `worker` (its code is invalidated), then compiles 30 methods and redefines them \
        all, so the JIT moves on to new pages and worker's page holds only dead code. Both GCs free the other \
        dead pages, but the suspended fiber's stack, walked from its saved context, returns into worker's page: \
        it stays pinned (P). Resuming the fiber returns into that code, which leaves through its patched exit; \
        the GC after the fiber ends frees the page.
        """,
        program: """
        def worker
          Fiber.yield 1
          2
        end
        f = Fiber.new { worker + 40 }
        f.resume
        eval("def worker; 0; end")
        i = 0
        while i < 60
          eval("def filler#{i % 30}(x); x + #{i}; end; filler#{i % 30}(1)")
          i += 1
        end
        JIT.code_gc
        JIT.code_gc
        JIT.dump_stack
        puts f.resume
        JIT.code_gc
        """,
        flags: ["--call-threshold", "1", "--page-size", "4K"])

    static let callback = DemoScenario(
        name: "callback",
        title: "A C callback collecting its caller",
        story: """
        `collector` is compiled and calls `c_callback`, a C function (static, named from the executable's \
        .symtab) that yields back into guest code. On the third call that guest code redefines `collector` \
        and collects: the stack is JIT -> C -> interpreter, the C frame sits between the caller's invalidated \
        JIT frame and the collector, and the libunwind walk through it still finds the caller's return \
        address, so its page is pinned. The program prints 10 + 11 + 12 = 33 without returning into freed code.
        """,
        program: """
        def collector(n)
          r = c_callback do
            if n == 2
              eval("def collector(n); 0; end")
              JIT.code_gc
              JIT.dump_stack
            end
            10
          end
          r + n
        end
        puts collector(0) + collector(1) + collector(2)
        JIT.code_gc
        """,
        flags: ["--call-threshold", "1", "--page-size", "4K"])
}
