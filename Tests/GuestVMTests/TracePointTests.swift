import GuestVM
import Testing

/// TracePoint in the interpreter: which events fire, the flag the call paths check, hooks that raise,
/// and C functions that start tracing while they run.
@Suite("TracePoint events in the interpreter")
struct TracePointTests {
    static let recorder = """
    $log = []
    $tp = TracePoint.new(:call, :return, :c_call, :c_return) { |t| $log << "#{t.event} #{t.method_id}" }
    """

    @Test func guestMethodsFireCallAndReturnAroundTheBuiltinsTheyCall() throws {
        let out = try guestOutput(Self.recorder + "\n" + """
        def add(a, b)
          a + b
        end
        $tp.enable
        add(1, 2)
        $tp.disable
        puts $log
        """)
        #expect(out == "call add\nc_call +\nc_return +\nreturn add\ncall disable\n")
    }

    @Test func preludeMethodsFireLikeCFunctionsAndHideTheCallsTheyMakeInside() throws {
        let out = try guestOutput(Self.recorder + "\n" + """
        $tp.enable
        [5, 6].map { |x| x }
        2.times { }
        $tp.disable
        puts $log
        """)
        // `map` runs `size`, `[]`, `<`, `<<` and `+` internally: Ruby's C `map` makes no such calls.
        #expect(out == "c_call map\nc_return map\nc_call times\nc_return times\ncall disable\n")
    }

    @Test func noEventFiresInsideAHook() throws {
        let out = try guestOutput("""
        def helper; 1; end
        def traced; 2; end
        $log = []
        tp = TracePoint.new(:call) { |t| helper; $log << t.method_id }
        tp.enable
        traced
        tp.disable
        p $log
        """)
        #expect(out == "[:traced, :disable]\n")
    }

    @Test func theCallPathFlagIsZeroAgainAndTheFastPathsBackOnceTheLastTracePointIsDisabled() throws {
        let harness = GuestHarness()
        #expect(harness.vm.traceEvents == 0)
        try harness.run("$a = TracePoint.new(:call) { }; $b = TracePoint.new(:c_return) { }; $a.enable; $b.enable")
        #expect(harness.vm.traceEvents == TraceEvent([.call, .cReturn]).rawValue)
        #expect(harness.vm.basicOperationsMask == 0, "c_return tracing must route 1 + 2 through the send")
        try harness.run("$b.disable")
        #expect(harness.vm.traceEvents == TraceEvent.call.rawValue)
        #expect(harness.vm.basicOperationsMask == 1)
        try harness.run("$a.disable")
        #expect(harness.vm.traceEvents == 0)
        #expect(harness.vm.enabledTracePoints.isEmpty)
    }

    @Test func anOperatorRedefinedWhileTracingKeepsTheFastPathsOffAfterwards() throws {
        let harness = GuestHarness()
        let out = try harness.output(of: """
        tp = TracePoint.new(:c_call) { }
        tp.enable
        class Integer
          def +(other)
            42
          end
        end
        tp.disable
        p 1 + 1
        """)
        #expect(out == "42\n")
        #expect(harness.vm.basicOperationsMask == 0)
    }

    @Test func aCFunctionThatEnablesTracingFiresItsOwnCReturn() throws {
        let harness = GuestHarness()
        harness.installCFixtures()
        let out = try harness.output(of: Self.recorder + "\n" + """
        def after; 1; end
        def run_it
          c_eval("$tp.enable")
          after
        end
        run_it
        $tp.disable
        puts $log
        """)
        // The C function's c_call came before tracing started; its c_return comes after.
        #expect(out == "c_return c_eval\ncall after\nreturn after\nreturn run_it\ncall disable\n")
    }

    @Test func aBlockYieldedFromCThatEnablesTracingSeesTheCReturnOfItsCaller() throws {
        let harness = GuestHarness()
        harness.installCFixtures()
        let out = try harness.output(of: Self.recorder + "\n" + """
        c_each_up_to(2) { |i| $tp.enable if i == 2; i }
        $tp.disable
        puts $log
        """)
        // The first enable instruments methods and misses its own return, as in Ruby 3.1.
        #expect(out == "c_return c_each_up_to\ncall disable\n")
    }

    @Test func anExceptionRaisedByAHookComesOutOfTheTracedCall() throws {
        let out = try guestOutput("""
        def traced
          $ran = true
        end
        $ran = false
        tp = TracePoint.new(:call) { |t| raise "stop" if t.method_id == :traced }
        tp.enable
        begin
          traced
        rescue => e
          p e.message
        end
        tp.disable
        p $ran
        """)
        #expect(out == "\"stop\"\nfalse\n")
    }

    @Test func anEnabledTracePointNobodyReferencesSurvivesObjectCollection() throws {
        let harness = GuestHarness()
        try harness.run("$n = 0\nTracePoint.new(:call) { |t| $n += 1 }.enable\n")
        #expect(harness.vm.collectGarbage(harness.vm.mainContext))
        let out = try harness.output(of: "def m; end\nm\nm\np $n")
        #expect(out == "2\n")
    }

    @Test func unsupportedEventsAreArgumentErrors() throws {
        let out = try guestOutput("""
        def try_events
          yield
        rescue ArgumentError => e
          p e.message
        end
        try_events { TracePoint.new(:line) { } }
        try_events { TracePoint.new(:call, :bogus) { } }
        try_events { TracePoint.new { } }
        """)
        #expect(out.contains("event not supported by the subset: line"))
        #expect(out.contains("unknown event: bogus"))
        #expect(out.contains("TracePoint.new without events is not supported"))
    }
}
