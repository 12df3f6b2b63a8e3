import GuestJIT
import GuestVM
import Testing

/// TracePoint with the JIT: enabling tracing from inside compiled code invalidates every block, the
/// builtin that enabled it still fires its `c_return`, the compiled caller continues in the interpreter
/// with events, nothing compiled runs while tracing, and methods compile again once it is off.
@Suite("TracePoint enabled from compiled code", .serialized)
struct TracePointJITTests {
    /// A program whose compiled method `work` enables tracing from a builtin on its last call, in three
    /// ways: a Swift cfunc (`start_tracing`), a builtin yielding to a block that enables it (`inject`),
    /// and `enable` itself.
    static let source = """
    $log = []
    $tp = TracePoint.new(:call, :return, :c_call, :c_return) { |t| $log << "#{t.event} #{t.method_id}" }
    def helper(x)
      x + 1
    end
    def work(how, last)
      start_tracing($tp) if how == 0 && last
      [1, 2].inject(0) { |s, e| $tp.enable if last && e == 2; s + e } if how == 1
      $tp.enable if how == 2 && last
      helper(5)
    end
    def round(how)
      4.times { |i| work(how, i == 3) }
      $tp.disable
      puts $log
      $log = []
    end
    round(0)
    round(1)
    round(2)
    """

    /// Defines `start_tracing(tp)`: a Swift builtin that enables `tp` through its guest method.
    static func installStartTracing(in vm: VM) {
        vm.defineCFunction(vm.objectClass, "start_tracing", arity: 1, protected: false) { _, ecp, _, _, argv in
            let ec = Unmanaged<ExecutionContext>.fromOpaque(ecp!).takeUnretainedValue()
            do throws(GuestError) {
                return try ec.vm.callMethod(Value(raw: argv![0]), "enable", [], ec: ec).raw
            } catch {
                ec.pendingThrow = error.value
                return Value.undef.raw
            }
        }
    }

    static func run(_ source: String, jit configuration: JITConfiguration?) throws -> (String, GuestRun) {
        let run = try GuestRun(jit: configuration)
        installStartTracing(in: run.vm)
        return (try run.run(source), run)
    }

    @Test(arguments: [GuestRun.eager, GuestRun.tiny])
    func compiledCallerOfATracingBuiltinPrintsWhatTheInterpreterPrints(configuration: JITConfiguration) throws {
        let (expected, _) = try Self.run(Self.source, jit: nil)
        let (got, run) = try Self.run(Self.source, jit: configuration)
        #expect(got == expected)
        // The builtin's c_return comes right after tracing started, then the rest of the compiled caller.
        #expect(expected.hasPrefix("c_return start_tracing\nc_call ==\n"))
        #expect(expected.contains("call helper\nc_call +\nc_return +\nreturn helper\nreturn work\nc_return times\n"))
        #expect(expected.contains("c_return each\nc_return inject\n"))
        let jit = try #require(run.jit)
        // Tracing started three times (each after the previous one was disabled).
        #expect(jit.stat("tracing_invalidation_count") == 3)
        #expect(jit.stat("invalidation_count")! >= 3)
    }

    @Test func noCompiledCodeRunsWhileTracingAndMethodsCompileAgainAfterwards() throws {
        let source = """
        def inside
          JIT.in_jit?
        end
        def probe
          [inside, inside]
        end
        p probe
        tp = TracePoint.new(:call) { }
        tp.enable
        traced = probe
        tp.disable
        p traced
        p probe
        """
        let (got, run) = try Self.run(source, jit: GuestRun.eager)
        #expect(got == "[true, true]\n[false, false]\n[true, true]\n")
        let jit = try #require(run.jit)
        #expect(jit.stat("tracing_invalidation_count") == 1)
    }

    @Test func aCompiledLoopCallingABuiltinThatStartsTracingFiresEveryLaterCall() throws {
        // The loop body is compiled; the builtin starts tracing on iteration 50; the return point after
        // that send exits to the interpreter, which fires the remaining 49 calls of `helper`.
        let source = """
        $calls = 0
        $tp = TracePoint.new(:call) { |t| $calls += 1 if t.method_id == :helper }
        def helper(x)
          x
        end
        def loop_it
          i = 0
          while i < 100
            start_tracing($tp) if i == 50
            helper(i)
            i += 1
          end
        end
        loop_it
        $tp.disable
        p $calls
        """
        let (expected, _) = try Self.run(source, jit: nil)
        let (got, run) = try Self.run(source, jit: GuestRun.eager)
        #expect(expected == "50\n")
        #expect(got == expected)
        #expect(try #require(run.jit).stat("compiled_iseq_count")! >= 2)
    }
}
