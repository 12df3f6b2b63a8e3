import GuestJIT
import Testing

@Suite("Compiled code prints what the interpreter prints", .serialized)
struct CompiledCodeTests {
    static let program = """
    def fib(n)
      if n < 2
        n
      else
        fib(n - 1) + fib(n - 2)
      end
    end
    def sum_to(n)
      i = 0
      s = 0
      while i < n
        s = s + i * 2 - 1
        i += 1
      end
      s
    end
    def overflow(x)
      x * x * x
    end
    def greet(name)
      "hi " + name
    end
    p fib(18)
    p sum_to(5000)
    p overflow(3)
    p overflow(4611686018427387903) rescue p $!
    p greet("you")
    p [1, 2, 3].size
    """

    @Test func fibonacciLoopsOverflowAndStringsMatchTheInterpreter() throws {
        let (expected, _) = try GuestRun.output(Self.program, jit: nil)
        let (got, jit) = try GuestRun.output(Self.program, jit: GuestRun.eager)
        #expect(got == expected)
        let jitStats = try #require(jit)
        #expect(jitStats.stat("compiled_iseq_count")! >= 4)
        #expect(jitStats.stat("compiled_block_count")! > 4)
        // fib's recursion runs JIT to JIT: far fewer entries from the interpreter than calls.
        #expect(jitStats.stat("jit_entry_count")! < 500)
    }

    @Test func rescueInsideCompiledMethodCatchesARaiseFromACFunction() throws {
        let source = """
        def safe(x)
          begin
            raise "bad #{x}" if x > 1
            x
          rescue => e
            e.message
          end
        end
        5.times { |i| p safe(i) }
        """
        let (expected, _) = try GuestRun.output(source, jit: nil)
        let (got, _) = try GuestRun.output(source, jit: GuestRun.eager)
        #expect(got == expected)
    }
}
