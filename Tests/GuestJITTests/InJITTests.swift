import GuestJIT
import Testing

@Suite("JIT.in_jit? reads the caller's native return address", .serialized)
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
}
