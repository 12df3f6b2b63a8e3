import GuestJIT
import Testing

/// TracePoint `call`/`return` events of interpreted methods that compiled code calls. The cached call to
/// an interpreted callee fires no events itself: once tracing starts (from the compiled caller, or from
/// inside the interpreted callee, which then returns with tracing on) every later call must fire its events
/// exactly as in the interpreter.
@Suite("TracePoint events of interpreted callees of compiled code", .serialized)
struct InterpretedCalleeTracingTests {
    static let definitions = """
    $log = []
    $tp = TracePoint.new(:call, :return) { |t| $log << "#{t.event} #{t.method_id}" }
    def leaf(x)
      x + 1
    end
    def enabling_leaf(x, start)
      $tp.enable if x == start
      x + 1
    end
    def callee_enables(n, start)
      s = 0
      i = 0
      while i < n
        s = s + enabling_leaf(i, start)
        i += 1
      end
      $tp.disable
      s
    end
    def traced_loop(n, start)
      s = 0
      i = 0
      while i < n
        $tp.enable if i == start
        s = s + leaf(i)
        i += 1
      end
      $tp.disable
      s
    end

    """

    @Test func callsAfterTracingStartsFireCallAndReturnLikeTheInterpreter() throws {
        // 20 untraced cached calls of `leaf` first, then 5 traced ones.
        let program = "p traced_loop(25, 20)\nputs $log\n"
        let (got, jit) = try InterpretedCallee.run(Self.definitions, interpreted: ["leaf", "enabling_leaf"], program)
        let expected = try InterpretedCallee.interpreted(Self.definitions, program)
        #expect(got == expected)
        #expect(expected.components(separatedBy: "call leaf\nreturn leaf\n").count - 1 == 5)
        #expect(jit.stat("tracing_invalidation_count") == 1)
    }

    @Test func aSecondTracingPeriodAfterCachedCallsResumedAlsoFiresEveryEvent() throws {
        // Between the two traced periods the site's cached call is filled again (tracing off).
        let program = "p traced_loop(30, 25)\np traced_loop(30, 28)\nputs $log\n"
        let (got, jit) = try InterpretedCallee.run(Self.definitions, interpreted: ["leaf", "enabling_leaf"], program)
        let expected = try InterpretedCallee.interpreted(Self.definitions, program)
        #expect(got == expected)
        #expect(expected.components(separatedBy: "call leaf\nreturn leaf\n").count - 1 == 7)
        #expect(jit.stat("tracing_invalidation_count") == 2)
    }

    @Test func tracingStartedInsideTheInterpretedCalleeFiresItsReturnAndEveryLaterCall() throws {
        let program = "p callee_enables(25, 20)\nputs $log\n"
        let (got, jit) = try InterpretedCallee.run(Self.definitions, interpreted: ["leaf", "enabling_leaf"], program)
        let expected = try InterpretedCallee.interpreted(Self.definitions, program)
        #expect(got == expected)
        // The enabling call's return, then 4 whole calls.
        #expect(expected.hasPrefix("\((0..<25).reduce(0, +) + 25)\nreturn enabling_leaf\ncall enabling_leaf\n"))
        #expect(expected.components(separatedBy: "call enabling_leaf\nreturn enabling_leaf\n").count - 1 == 4)
        #expect(jit.stat("tracing_invalidation_count") == 1)
    }
}
