import GuestJIT
import Testing

/// The seed's adversary: compiled code calls a C function that removes (or redefines) the very method
/// running it; the C function returns into invalidated code, which must continue in the interpreter.
@Suite("Methods that remove or redefine themselves from compiled code", .serialized)
struct AdversaryTests {
    @Test func methodRemovingItselfReturnsThroughItsPatchedReturnPoint() throws {
        let source = """
        class Foo
        end
        DEF = "class Foo; def adversary(i); x = i + 1; Foo.remove_method(:adversary); x * 10; end; end"
        def driver(n)
          sum = 0
          i = 0
          while i < n
            eval(DEF, TOPLEVEL_BINDING)
            sum = sum + Foo.new.adversary(i)
            i += 1
          end
          sum
        end
        p driver(50)
        p Foo.new.respond_to?(:adversary)
        """
        let (expected, _) = try GuestRun.output(source, jit: nil)
        let (got, jit) = try GuestRun.output(source, jit: GuestRun.eager)
        #expect(got == expected)
        #expect(expected.hasPrefix("12750"))
        let stats = try #require(jit)
        #expect(stats.stat("invalidation_count")! >= 50)
        #expect(stats.stat("compiled_iseq_count")! >= 50)
    }

    @Test func methodRedefiningItselfKeepsReturningTheOldValueOnce() throws {
        let source = """
        $n = 0
        def shape
          $n += 1
          eval("def shape; #{$n}; end", TOPLEVEL_BINDING)
          -$n
        end
        def loop_it(k)
          out = []
          i = 0
          while i < k
            out << shape
            i += 1
          end
          out
        end
        p loop_it(6)
        """
        let (expected, _) = try GuestRun.output(source, jit: nil)
        let (got, jit) = try GuestRun.output(source, jit: GuestRun.eager)
        #expect(got == expected)
        #expect(try #require(jit).stat("invalidation_count")! > 0)
    }
}
