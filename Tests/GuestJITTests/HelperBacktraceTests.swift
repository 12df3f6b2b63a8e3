import GuestJIT
import Testing

/// An exception a JIT helper raises names the line of the instruction that raised it, as the interpreter
/// does: its backtrace is taken when the exception is made, so the frame's pc must be saved before that.
@Suite("Exceptions raised by JIT helpers carry the interpreter's lines", .serialized)
struct HelperBacktraceTests {
    static let program = """
    def look_up(a)
      x = [a, 1]
      K13
    end
    def rescued
      look_up(1)
    rescue NameError => e
      e.backtrace.first(2)
    end
    p rescued
    p rescued
    look_up(2)
    """

    @Test func anUninitializedConstantInCompiledCodeReportsItsOwnLine() throws {
        let (expected, _) = try GuestRun.output(Self.program, jit: nil)
        let (got, jit) = try GuestRun.output(Self.program, jit: GuestRun.eager)
        #expect(expected.hasPrefix("[\"test.rb:3:in `look_up'\", \"test.rb:6:in `rescued'\"]\n"))
        #expect(got == expected)
        #expect(jit!.stat("compiled_iseq_count")! >= 2)
    }
}
