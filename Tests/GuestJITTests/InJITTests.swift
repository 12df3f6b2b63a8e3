import GuestJIT
import Testing

@Suite("JIT.in_jit? is true only when its caller's frame called it from JIT code", .serialized)
struct InJITTests {
    static let source = """
    def inside
      JIT.in_jit?
    end
    p inside
    p inside
    p JIT.in_jit?
    p JIT.enabled?
    """

    @Test func trueInsideACompiledMethodFalseAtInterpretedTopLevel() throws {
        let (got, _) = try GuestRun.output(Self.source, jit: JITConfiguration(callThreshold: 2))
        // First call interpreted (threshold 2), second compiled; top level always interpreted.
        #expect(got == "false\ntrue\nfalse\ntrue\n")
    }

    @Test func falseEverywhereWithoutTheJIT() throws {
        let (got, _) = try GuestRun.output(Self.source, jit: nil)
        #expect(got == "false\nfalse\nfalse\nfalse\n")
    }

    @Test func falseInAMethodThatLeftItsJITCodeUnderOuterJITFrames() throws {
        // `outer` and `inner` are compiled; `each` (a builtin) yields to an interpreted block between them.
        // After discard_all, `inner` continues in the interpreter while `outer`'s JIT frame is still below.
        let source = """
        def inner
          before = JIT.in_jit?
          JIT.discard_all
          [before, JIT.in_jit?]
        end
        def outer
          r = nil
          [1].each { r = inner }
          r
        end
        def warm; end
        warm
        p outer
        p outer
        """
        let (got, _) = try GuestRun.output(source, jit: GuestRun.eager)
        #expect(got == "[true, false]\n[true, false]\n")
    }

    @Test func falseInAnInterpretedBlockYieldedToFromABuiltinThatJITCodeCalled() throws {
        let source = """
        def in_block
          [1].map { JIT.in_jit? } + [JIT.in_jit?]
        end
        p in_block
        """
        let (got, _) = try GuestRun.output(source, jit: GuestRun.eager)
        #expect(got == "[false, true]\n")
    }
}
