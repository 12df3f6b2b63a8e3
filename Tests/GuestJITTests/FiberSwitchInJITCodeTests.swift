import Testing

/// Fibers share their thread's runtime block. A fiber that yields from compiled code leaves the block
/// holding its context and stack limits; the compiled code that resumed it continues after the send
/// helper's call, which must point the block back at its own context (a stale one made the next send
/// act on the fiber's frames and crash in the backtrace of the error that followed).
@Suite("Compiled code resuming fibers that yield from compiled code", .serialized)
struct FiberSwitchInJITCodeTests {
    @Test func resumerAndFiberEachKeepTheirContextAcrossSwitches() throws {
        let source = """
        def fib(n)
          if n < 2
            n
          else
            fib(n - 1) + fib(n - 2)
          end
        end
        def step(x)
          y = Fiber.yield(fib(x))
          fib(y) + 1
        end
        def body(k)
          step(k) + step(k + 1) + step(k + 2)
        end
        def driver(f)
          a = f.resume
          b = f.resume(fib(5))
          c = f.resume(fib(6))
          d = f.resume(fib(7))
          [a, b, c, d, fib(12)]
        end
        p driver(Fiber.new { body(10) })
        p driver(Fiber.new { body(3) })
        """
        let jitstack = try JitstackProcess.locate()
        for threshold in ["1", "2"] {
            let outcome = try jitstack.run(source, flags: ["--call-threshold", threshold])
            #expect(!outcome.signaled && outcome.status == 0, "threshold \(threshold): \(outcome.summary)")
            #expect(outcome.programLines.filter { !$0.isEmpty } == ["[55, 89, 144, 262, 144]", "[2, 3, 5, 262, 144]"],
                    "threshold \(threshold)")
        }
    }
}
