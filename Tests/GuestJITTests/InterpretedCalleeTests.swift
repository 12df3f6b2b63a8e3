import GuestJIT
import Testing

/// Compiled code calling methods that stay interpreted (the region had no room for them): after a site's
/// first call through the send helper, its cached call pushes the frame and runs it in a nested
/// interpreter loop (`SharedCode.interpretCallee`), which returns to the site's return point. Every result
/// must match the interpreter's, and the send helper must not run per call.
@Suite("Compiled code calls interpreted methods", .serialized)
struct InterpretedCalleeTests {
    static let definitions = """
    def add(a, b)
      t = a + b
      t
    end
    def zero
      0
    end
    def caller_in_jit
      JIT.in_jit?
    end
    def callee_in_jit
      JIT.in_jit?
    end
    def drive(n)
      s = 0
      i = 0
      while i < n
        s = add(s, i) - zero
        i += 1
      end
      [s, caller_in_jit, callee_in_jit]
    end

    """

    @Test func argumentsAndResultsMatchTheInterpreterWithoutAHelperCallPerCall() throws {
        let program = "p drive(3000)\np drive(10)\n"
        let (got, jit) = try InterpretedCallee.run(Self.definitions, interpreted: ["add", "zero", "callee_in_jit"], program)
        let expected = try InterpretedCallee.interpreted(Self.definitions, program)
        #expect(expected == "[4498500, false, false]\n[45, false, false]\n")
        // `drive` and `caller_in_jit` are compiled (its caller is JIT code), `callee_in_jit` is not.
        #expect(got == "[4498500, true, false]\n[45, true, false]\n")
        // 6,020 calls of interpreted methods from `drive`'s two sites: the helper runs for each site's first
        // call (and `drive`'s own calls and the few others), not per call.
        let helperCalls = try #require(jit.stat("helper_iseq_call_count"))
        #expect(helperCalls < 20, "\(helperCalls) ISEQ calls went through the send helper")
    }

    @Test func aMethodWaitingOutItsBackoffIsCompiledWhenItsCachedCallsRunOut() throws {
        let definitions = """
        def probe(i)
          JIT.in_jit? ? 1 : 0
        end
        def count_compiled(n)
          s = 0
          i = 0
          while i < n
            s += probe(i)
            i += 1
          end
          s
        end

        """
        let run = try GuestRun(jit: GuestRun.eager)
        let defined = try run.run(definitions)
        // 50 calls of backoff left: the cached calls count them and the 51st call runs `probe` compiled
        // (the interpreter would compile it at the same call): 150 of the 200 calls see JIT.in_jit?.
        try InterpretedCallee.holdInterpreted(run, ["probe"], calls: 50)
        let compiledBefore = try #require(run.jit?.stat("compiled_iseq_count"))
        let output = try run.run("p count_compiled(200)\n")
        #expect(String(output.dropFirst(defined.count)) == "150\n")
        #expect(try #require(run.jit?.stat("compiled_iseq_count")) == compiledBefore + 2)
    }

    static let blockDefinitions = """
    def twice
      a = yield(1)
      b = yield(2)
      a + b
    end
    def map_sum(arr)
      arr.map { |x| x * 2 }.sum
    end
    def compiled_block_caller(n)
      s = 0
      i = 0
      while i < n
        s += twice { |x| x + i }
        s += map_sum([i, 1])
        i += 1
      end
      s
    end

    """

    @Test func blocksPassedToAndFromInterpretedMethodsMatchTheInterpreter() throws {
        let program = "p compiled_block_caller(500)\n"
        let (got, _) = try InterpretedCallee.run(Self.blockDefinitions, interpreted: ["twice", "map_sum"], program)
        let expected = try InterpretedCallee.interpreted(Self.blockDefinitions, program)
        #expect(got == expected)
        #expect(expected == "\(Self.blockSum(500))\n")
    }

    /// The block program's result computed here: twice gives (1 + i) + (2 + i), map_sum 2i + 2.
    static func blockSum(_ n: Int) -> Int {
        (0..<n).reduce(0) { $0 + (3 + 2 * $1) + (2 * $1 + 2) }
    }

    static let exceptionDefinitions = """
    def check(x)
      raise ArgumentError, "bad #{x}" if x % 7 == 3
      x
    end
    def with_ensure(x)
      begin
        check(x)
      ensure
        $ensured += 1
      end
    end
    def rescuing_caller(n)
      s = 0
      i = 0
      while i < n
        begin
          s += with_ensure(i)
        rescue ArgumentError => e
          s -= 1
          $last = e.message
        end
        i += 1
      end
      s
    end
    def unrescued(n)
      i = 0
      while i < n
        check(i)
        i += 1
      end
    end
    $ensured = 0

    """

    @Test func raisesInInterpretedCalleesUnwindThroughCompiledCallersLikeTheInterpreter() throws {
        let program = """
        p rescuing_caller(300)
        p $ensured
        p $last
        begin
          unrescued(10)
        rescue ArgumentError => e
          p e.message
        end

        """
        let (got, _) = try InterpretedCallee.run(Self.exceptionDefinitions, interpreted: ["check", "with_ensure"], program)
        let expected = try InterpretedCallee.interpreted(Self.exceptionDefinitions, program)
        #expect(got == expected)
        #expect(expected.hasSuffix("300\n\"bad 297\"\n\"bad 3\"\n"))
    }

    @Test func redefiningAnInterpretedCalleeBetweenCachedCallsCallsTheNewDefinition() throws {
        let definitions = """
        def step(x)
          x + 1
        end
        def redefining_loop(n)
          s = 0
          i = 0
          while i < n
            eval("def step(x); x + 1000; end", TOPLEVEL_BINDING) if i == n / 2
            s = s + step(i)
            i += 1
          end
          s
        end

        """
        let program = "p redefining_loop(100)\np redefining_loop(4)\n"
        let (got, _) = try InterpretedCallee.run(definitions, interpreted: ["step"], program)
        let expected = try InterpretedCallee.interpreted(definitions, program)
        #expect(got == expected)
        // 50 calls of the old step, 50 of the new one; then only the new one.
        #expect(expected == "\((0..<100).reduce(0, +) + 50 + 50 * 1000)\n\((0..<4).reduce(0, +) + 4 * 1000)\n")
    }
}
