import GuestJIT
import Testing

/// Deep recursion alternating compiled and interpreted methods. A compiled-to-interpreted call runs the
/// callee in a nested interpreter loop only while the native stack has room (`VM.jitInterpretCallee`);
/// deeper, callees leave to the outer loop, so 20,000 levels (far more native stack than the thread has,
/// were every level nested) still work, and overflowing the VM's stacks raises SystemStackError as in the
/// interpreter.
@Suite("Deep recursion through compiled and interpreted methods", .serialized)
struct MixedRecursionTests {
    static let definitions = """
    def jit_side(n)
      return 0 if n == 0
      interp_side(n - 1) + 1
    end
    def interp_side(n)
      return 0 if n == 0
      jit_side(n - 1) + 2
    end
    def runaway(n)
      interp_runaway(n + 1) + 1
    end
    def interp_runaway(n)
      runaway(n + 1) + 1
    end

    """

    @Test func twentyThousandAlternatingLevelsGiveTheInterpretersResult() throws {
        let program = "p jit_side(20_000)\np jit_side(7)\n"
        let (got, jit) = try InterpretedCallee.run(Self.definitions, interpreted: ["interp_side"], program)
        let expected = try InterpretedCallee.interpreted(Self.definitions, program)
        #expect(expected == "30000\n10\n")
        #expect(got == expected)
        #expect(try #require(jit.stat("compiled_iseq_count")) >= 1)
    }

    @Test func runawayAlternatingRecursionRaisesSystemStackErrorAndTheProgramContinues() throws {
        let program = """
        begin
          runaway(0)
        rescue SystemStackError => e
          p e.class
        end
        p jit_side(100)

        """
        let (got, _) = try InterpretedCallee.run(Self.definitions, interpreted: ["interp_side", "interp_runaway"], program)
        let expected = try InterpretedCallee.interpreted(Self.definitions, program)
        #expect(expected == "SystemStackError\n150\n")
        #expect(got == expected)
    }
}
